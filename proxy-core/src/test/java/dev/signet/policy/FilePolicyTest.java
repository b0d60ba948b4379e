package dev.signet.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FilePolicyTest {

    private static final Instant UPLOADED = Instant.parse("2026-11-29T10:00:00Z");
    private static final Advisory MALICIOUS = new Advisory("MAL-2026-1", "evil", Set.of("1.0"), List.of(), null);
    private static final Advisory HIGH = new Advisory("GHSA-aaaa", "lib", Set.of(), List.of(List.of(
            new Advisory.Event(Advisory.Event.Kind.INTRODUCED, "0"),
            new Advisory.Event(Advisory.Event.Kind.FIXED, "2.0"))), "HIGH");

    private final FilePolicy policy = new FilePolicy(
            new MinAge(Duration.ofDays(7), List.of(new MinAge.Override("internal-*", Duration.ZERO),
                    new MinAge.Override("slow", Duration.ofDays(30))),
                    List.of(FileRule.parse("urgent==2.0"), FileRule.parse("file:hotfix-1.1.tar.gz")), true),
            List.of(FileRule.parse("litellm==1.82.7"), FileRule.parse("foo>=2,<2.1"), FileRule.parse("banned"),
                    FileRule.parse("file:bad-1.0.tar.gz")),
            new Advisories(List.of(MALICIOUS, HIGH), null, Set.of()));

    /** days after upload | project | file | age known | expected reason (or allowed) | rule */
    @ParameterizedTest(name = "{1}/{2} {0} days after upload: {4}")
    @CsvSource(delimiter = '|', value = {
            "2  | six        | six-1.17-py3-none-any.whl     | true  | too_new      | min-age 7d",
            "7  | six        | six-1.17-py3-none-any.whl     | true  | allowed      | -",
            "6  | six        | six-1.17-py3-none-any.whl     | true  | too_new      | min-age 7d",
            "2  | six        | six-1.17-py3-none-any.whl     | false | unknown_age  | min-age 7d",
            "2  | internal-x | internal_x-1.0.tar.gz         | false | allowed      | -",
            "20 | slow       | slow-1.0.tar.gz               | true  | too_new      | min-age 30d",
            "2  | urgent     | urgent-2.0.tar.gz             | true  | allowed      | -",
            "2  | urgent     | urgent-2.1.tar.gz             | true  | too_new      | min-age 7d",
            "2  | hotfix     | hotfix-1.1.tar.gz             | true  | allowed      | -",
            "99 | litellm    | litellm-1.82.7.tar.gz         | true  | blocked_rule | litellm==1.82.7",
            "99 | litellm    | litellm-1.82.6.tar.gz         | true  | allowed      | -",
            "99 | foo        | foo-2.0.9-py3-none-any.whl    | true  | blocked_rule | foo>=2,<2.1",
            "99 | banned     | banned-0.1.tar.gz             | true  | blocked_rule | banned",
            "99 | bad        | bad-1.0.tar.gz.metadata       | true  | blocked_rule | file:bad-1.0.tar.gz",
            "99 | evil       | evil-1.0-py3-none-any.whl     | true  | advisory     | MAL-2026-1",
            "99 | evil       | evil-1.1-py3-none-any.whl     | true  | allowed      | -",
            "99 | lib        | lib-1.5.tar.gz                | true  | allowed      | -",
            "2  | urgent     | urgent-2.0.tar.gz             | false | allowed      | -"})
    void decides(int days, String project, String file, boolean known, String expected, String rule) {
        FileAge age = known ? FileAge.signature(UPLOADED) : FileAge.UNKNOWN;
        Decision d = policy.decide(project, file, age, UPLOADED.plus(Duration.ofDays(days)));
        if (expected.equals("allowed")) {
            assertThat(d).isInstanceOf(Decision.Allowed.class);
        } else {
            Decision.Refused refused = (Decision.Refused) d;
            assertThat(refused.reason().tag()).isEqualTo(expected);
            assertThat(refused.rule()).isEqualTo(rule);
            assertThat(refused.message()).doesNotContain("\n").startsWith("refused ");
        }
    }

    @Test
    void theReasonOfATooNewFileSaysWhenItWasUploadedAndWhenItIsAllowed() {
        Decision.Refused refused = (Decision.Refused) policy.decide("six", "six-1.17.tar.gz",
                FileAge.signature(UPLOADED), UPLOADED.plus(Duration.ofDays(2)));
        assertThat(refused.message()).isEqualTo(
                "refused six-1.17.tar.gz: uploaded 2026-11-29T10:00Z, min-age 7d, allowed from 2026-12-06T10:00Z");
        assertThat(refused.allowedFrom()).isEqualTo(Instant.parse("2026-12-06T10:00:00Z"));
    }

    @Test
    void anExemptionNeverLiftsABlock() {
        FilePolicy exempted = new FilePolicy(policy.minAge().withExemptions(List.of(FileRule.parse("litellm"))),
                policy.blocks(), policy.advisories());
        assertThat(exempted.decide("litellm", "litellm-1.82.7.tar.gz", FileAge.signature(UPLOADED), UPLOADED))
                .isInstanceOf(Decision.Refused.class);
    }

    @Test
    void nonMaliciousAdvisoriesBlockOnlyWhenConfigured() {
        FilePolicy bySeverity = new FilePolicy(MinAge.OFF, List.of(), policy.advisories().withBlocking("high", Set.of()));
        FilePolicy byCritical = new FilePolicy(MinAge.OFF, List.of(), policy.advisories().withBlocking("critical", Set.of()));
        FilePolicy byId = new FilePolicy(MinAge.OFF, List.of(), policy.advisories().withBlocking(null, Set.of("GHSA-aaaa")));
        Instant now = UPLOADED;
        assertThat(bySeverity.decide("lib", "lib-1.5.tar.gz", FileAge.UNKNOWN, now).allowed()).isFalse();
        assertThat(bySeverity.decide("lib", "lib-2.0.tar.gz", FileAge.UNKNOWN, now).allowed()).isTrue();
        assertThat(byCritical.decide("lib", "lib-1.5.tar.gz", FileAge.UNKNOWN, now).allowed()).isTrue();
        assertThat(byId.decide("lib", "lib-1.5.tar.gz", FileAge.UNKNOWN, now).allowed()).isFalse();
    }

    @Test
    void unknownAgeMayBeAllowedByConfiguration() {
        FilePolicy lenient = new FilePolicy(new MinAge(Duration.ofDays(7), List.of(), List.of(), false), List.of(),
                Advisories.NONE);
        assertThat(lenient.decide("six", "six-1.0.tar.gz", FileAge.UNKNOWN, UPLOADED)).isEqualTo(new Decision.Allowed(null));
    }

    @Test
    void anOpenPolicyAllowsEverythingAndPassesTheSignedTimeOn() {
        assertThat(FilePolicy.OPEN.decide("six", "six-1.0.tar.gz", FileAge.signature(UPLOADED), UPLOADED))
                .isEqualTo(new Decision.Allowed(UPLOADED));
        assertThat(FilePolicy.OPEN.needsAges()).isFalse();
        assertThat(policy.needsAges()).isTrue();
        assertThat(FilePolicy.OPEN.decide("six", "not a distribution", FileAge.UNKNOWN, UPLOADED))
                .isEqualTo(new Decision.Allowed(null));
    }

    /** The fast path that skips parsing the file name is taken only when nothing at all is configured. */
    @Test
    void aPolicyWithAnyRuleAdvisoryOrMinAgeIsNotOpen() {
        assertThat(FilePolicy.OPEN.open()).isTrue();
        assertThat(policy.open()).isFalse();
        assertThat(new FilePolicy(MinAge.OFF, List.of(FileRule.parse("six==1.0")), Advisories.NONE).open()).isFalse();
    }
}
