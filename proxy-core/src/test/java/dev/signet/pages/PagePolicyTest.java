package dev.signet.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PagePolicyTest {

    private static final long NOW_SECONDS = 1_800_000_000L;
    private static final long NOW = NOW_SECONDS * 1000;
    private static final PagePolicy POLICY = new PagePolicy(Duration.ofMinutes(5), Duration.ZERO);
    private static final String SHA = "a".repeat(64);
    private static final String OTHER_SHA = "b".repeat(64);

    static Stream<Arguments> comments() {
        PageHistory seen5 = new PageHistory(5, SHA);
        return Stream.of(
                // comment project, serial, expires (relative to now, s), known history, expected refusal or null
                Arguments.of("six", 1, 3600, null, null),
                Arguments.of("six", 5, 3600, seen5, null),
                Arguments.of("six", 6, 3600, seen5, null),
                Arguments.of("six", 4, 3600, seen5, PageRefusal.ROLLBACK),
                Arguments.of("other", 9, 3600, null, PageRefusal.WRONG_PROJECT),
                Arguments.of("six", 9, -1, null, null),                 // within the 5 minute skew
                Arguments.of("six", 9, -299, null, null),
                Arguments.of("six", 9, -300, null, PageRefusal.EXPIRED), // skew used up
                Arguments.of("six", 9, -86400, null, PageRefusal.EXPIRED),
                Arguments.of("other", 1, -86400, seen5, PageRefusal.WRONG_PROJECT)); // project is checked first
    }

    @ParameterizedTest(name = "{0} serial {1} expires now{2}s, known {3}: {4}")
    @MethodSource("comments")
    void commentChecks(String signedProject, long serial, long expiresIn, PageHistory known, PageRefusal expected) {
        PageComment comment = new PageComment(signedProject, serial, NOW_SECONDS + expiresIn);
        if (expected == null) {
            assertThatCode(() -> POLICY.checkComment(comment, "six", NOW, known)).doesNotThrowAnyException();
        } else {
            PageRefusedException refused = catchThrowableOfType(PageRefusedException.class,
                    () -> POLICY.checkComment(comment, "six", NOW, known));
            assertThat(refused.reason()).isEqualTo(expected);
            assertThat(refused.getMessage()).startsWith("refused page of six: ").endsWith("(" + expected.tag() + ")");
        }
    }

    static Stream<Arguments> contents() {
        return Stream.of(
                Arguments.of(5, SHA, null, null),
                Arguments.of(5, SHA, new PageHistory(5, SHA), null),
                Arguments.of(5, OTHER_SHA, new PageHistory(5, SHA), PageRefusal.EQUIVOCATION),
                Arguments.of(6, OTHER_SHA, new PageHistory(5, SHA), null));
    }

    @ParameterizedTest(name = "serial {0} sha {1} known {2}: {3}")
    @MethodSource("contents")
    void sameSerialOtherBytesIsEquivocation(long serial, String sha, PageHistory known, PageRefusal expected) {
        PageComment comment = new PageComment("six", serial, NOW_SECONDS + 60);
        if (expected == null) {
            assertThatCode(() -> POLICY.checkContent(comment, "six", sha, known)).doesNotThrowAnyException();
        } else {
            PageRefusedException refused = catchThrowableOfType(PageRefusedException.class,
                    () -> POLICY.checkContent(comment, "six", sha, known));
            assertThat(refused.reason()).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "stale override {0}s, expired {1}s ago: usable stale {2}")
    @MethodSource("staleCases")
    void staleServingNeverOutlivesTheSignedExpiryWithoutTheOverride(long overrideSeconds, long expiredAgo, boolean stale) {
        PagePolicy policy = new PagePolicy(Duration.ofMinutes(5), Duration.ofSeconds(overrideSeconds));
        long expires = NOW_SECONDS - expiredAgo;
        assertThat(policy.usableStale(expires, NOW)).isEqualTo(stale);
        assertThat(policy.usable(expires, NOW)).isEqualTo(expiredAgo < 300);
    }

    static Stream<Arguments> staleCases() {
        return Stream.of(
                Arguments.of(0, 0, true),
                Arguments.of(0, 299, true),
                Arguments.of(0, 300, false),
                Arguments.of(3600, 300, true),
                Arguments.of(3600, 3899, true),
                Arguments.of(3600, 3900, false));
    }

    @ParameterizedTest(name = "{0}, known {1}: refused {2}")
    @MethodSource("unsignedCases")
    void unsignedPages(SignedPagesMode mode, PageHistory known, boolean refused) {
        PageRefusedException refusal = PagePolicy.unsigned(mode, "six", known);
        assertThat(refusal != null).isEqualTo(refused);
        if (refusal != null) {
            assertThat(refusal.reason()).isEqualTo(PageRefusal.UNSIGNED);
        }
    }

    static Stream<Arguments> unsignedCases() {
        PageHistory seen = new PageHistory(3, SHA);
        return Stream.of(
                Arguments.of(SignedPagesMode.OFF, null, false),
                Arguments.of(SignedPagesMode.OFF, seen, false),
                Arguments.of(SignedPagesMode.PREFER, null, false),
                Arguments.of(SignedPagesMode.PREFER, seen, true),   // seen signed once: no downgrade
                Arguments.of(SignedPagesMode.REQUIRE, null, true),
                Arguments.of(SignedPagesMode.REQUIRE, seen, true));
    }

    @org.junit.jupiter.api.Test
    void acceptedNeverLowersTheSerial() {
        PageHistory seven = new PageHistory(7, SHA);
        assertThat(POLICY.accepted(new PageComment("six", 9, 0), OTHER_SHA, seven)).isEqualTo(new PageHistory(9, OTHER_SHA));
        assertThat(POLICY.accepted(new PageComment("six", 7, 0), SHA, seven)).isEqualTo(seven);
        assertThat(POLICY.accepted(new PageComment("six", 1, 0), SHA, null)).isEqualTo(new PageHistory(1, SHA));
    }

    @org.junit.jupiter.api.Test
    void farFutureExpiryDoesNotOverflow() {
        assertThat(POLICY.usable(Long.MAX_VALUE, NOW)).isTrue();
        assertThat(POLICY.usableStale(Long.MAX_VALUE, NOW)).isTrue();
    }
}
