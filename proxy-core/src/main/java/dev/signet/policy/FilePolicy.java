package dev.signet.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;

/**
 * The supply-chain policy at the edge, as a pure function: may this file of this project be served at {@code now},
 * given its age from signed data? Checked in order, the first refusal wins:
 * <ol>
 *   <li>block rules (project, PEP 440 version or specifier, file name), whoever set them;</li>
 *   <li>blocking advisories ({@code MAL-*} always, others as configured);</li>
 *   <li>the min-age of the project, unless an exemption covers the file: a file younger than it, or whose age is not
 *       known from signed data (when so configured), is refused until it comes of age.</li>
 * </ol>
 * An exemption lifts the min-age only, never a block: a human approving an urgent fix does not unblock a malicious
 * release. The clock comes in as an argument, so a file comes of age by the clock alone (design invariant 9).
 */
public record FilePolicy(MinAge minAge, List<FileRule> blocks, Advisories advisories) {

    public static final FilePolicy OPEN = new FilePolicy(MinAge.OFF, List.of(), Advisories.NONE);

    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm'Z'")
            .withZone(ZoneOffset.UTC);

    public FilePolicy {
        Objects.requireNonNull(minAge, "minAge");
        Objects.requireNonNull(advisories, "advisories");
        blocks = List.copyOf(blocks);
    }

    /** No block rule, no advisory and no min-age: every file is allowed. */
    public boolean open() {
        return blocks.isEmpty() && advisories.size() == 0 && !minAge.active();
    }

    /** Whether pages need each file's signed age to be decided (a min-age applies somewhere). */
    public boolean needsAges() {
        return minAge.active();
    }

    /**
     * @param project  PEP 503 normalised project name
     * @param fileName the file as requested or listed ({@code FILE.metadata} is judged as {@code FILE})
     * @param age      the file's upload time from signed data, or {@link FileAge#UNKNOWN}
     * @param now      the clock
     */
    public Decision decide(String project, String fileName, FileAge age, Instant now) {
        if (open()) {
            // Asked on every artifact request: with nothing to check, the file name is not even parsed.
            return new Decision.Allowed(age.uploaded());
        }
        FileVersion file = FileVersion.of(fileName);
        for (FileRule rule : blocks) {
            if (rule.matches(project, file)) {
                return new Decision.Refused(Decision.Reason.BLOCKED_RULE, rule.text(),
                        "refused " + file.fileName() + ": blocked by rule " + rule.text(), null);
            }
        }
        Advisory advisory = advisories.blocking(project, file.version());
        if (advisory != null) {
            return new Decision.Refused(Decision.Reason.ADVISORY, advisory.id(), "refused " + file.fileName()
                    + ": " + (advisory.malicious() ? "known malicious release, " : "") + "advisory " + advisory.id(), null);
        }
        Duration required = minAge.forProject(project);
        if (required.isZero() || minAge.exemption(project, file) != null) {
            return new Decision.Allowed(age.uploaded());
        }
        String rule = "min-age " + describe(required);
        if (!age.known()) {
            if (!minAge.unknownTooNew()) {
                return new Decision.Allowed(null);
            }
            return new Decision.Refused(Decision.Reason.UNKNOWN_AGE, rule, "refused " + file.fileName()
                    + ": upload time not known from signed data, " + rule, null);
        }
        Instant allowedFrom = age.uploaded().plus(required);
        if (now.isBefore(allowedFrom)) {
            return new Decision.Refused(Decision.Reason.TOO_NEW, rule, "refused " + file.fileName() + ": uploaded "
                    + MINUTES.format(age.uploaded()) + ", " + rule + ", allowed from " + MINUTES.format(allowedFrom),
                    allowedFrom);
        }
        return new Decision.Allowed(age.uploaded());
    }

    /** {@code 7d}, {@code 36h}, {@code 90m}, {@code 45s}: the largest unit that divides the duration. */
    static String describe(Duration d) {
        long s = d.toSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
