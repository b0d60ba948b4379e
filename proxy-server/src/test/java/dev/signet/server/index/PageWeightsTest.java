package dev.signet.server.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.index.ApiVersion;
import dev.signet.index.ProjectPage;
import dev.signet.store.StoredPage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The page cache is bounded by bytes: a page weighs at least its upstream bytes, not one entry among 10,000. */
class PageWeightsTest {

    @Test
    void aCachedPageWeighsAtLeastItsBytes() {
        byte[] body = new byte[40 << 20];
        ProjectPage parsed = new ProjectPage("big", List.of(), List.of(), ApiVersion.V1_0);
        CachedPage<ProjectPage> big = new CachedPage<>(new StoredPage("http://up/simple/big/", "application/json",
                null, null, 0, body), parsed, 0);
        CachedPage<ProjectPage> small = new CachedPage<>(new StoredPage("http://up/simple/small/", "application/json",
                null, null, 0, new byte[4096]), parsed, 0);
        assertThat(PageWeights.of(big)).isGreaterThanOrEqualTo(40 << 20);
        assertThat(PageWeights.of(big)).isGreaterThan(5_000 * PageWeights.of(small));
        assertThat(PageWeights.of(CachedPage.notFound(0))).isPositive();
    }
}
