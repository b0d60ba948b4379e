package dev.signet.server.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PageFetchBudgetTest {

    @Test
    void fetchesShareTheLimitAndALoneFetchMayExceedIt() {
        PageFetchBudget budget = new PageFetchBudget(100);
        PageFetchBudget.Hold a = budget.hold();
        PageFetchBudget.Hold b = budget.hold();
        assertThat(a.grow(60)).isTrue();
        assertThat(b.grow(30)).isTrue();
        assertThat(b.grow(20)).as("over the limit with another fetch holding bytes").isFalse();
        assertThat(budget.reserved()).isEqualTo(90);
        a.release();
        assertThat(budget.reserved()).isEqualTo(30);
        assertThat(b.grow(500)).as("the only fetch in flight may read a page larger than the budget").isTrue();
        assertThat(a.grow(1)).as("but nobody else then").isFalse();
        b.release();
        b.release();
        assertThat(budget.reserved()).isZero();
        assertThat(a.grow(1)).isTrue();
    }
}
