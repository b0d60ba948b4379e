package dev.signet.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEP 440 version specifier set: comma-separated clauses ({@code >=2,<2.1}, {@code ==1.82.7}, {@code ~=1.4.2},
 * {@code !=1.0.*}, {@code ===foo}), all of which must hold. The semantics are PEP 440's ("Version specifiers"), with
 * one deliberate difference: pre-releases are always considered, because this is used to <em>block</em> releases and a
 * rule {@code foo>=2,<2.1} must also catch {@code 2.0.1rc1}.
 */
public final class VersionSpecifier {

    private enum Op {
        ARBITRARY("==="), COMPATIBLE("~="), EQUAL("=="), NOT_EQUAL("!="), LESS_EQUAL("<="), GREATER_EQUAL(">="),
        LESS("<"), GREATER(">");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }
    }

    private record Clause(Op op, String text, Pep440Version version, boolean prefix) {}

    private static final Pattern CLAUSE = Pattern.compile("\\s*(===|~=|==|!=|<=|>=|<|>)\\s*(\\S+?)\\s*");

    private final List<Clause> clauses;
    private final String text;

    private VersionSpecifier(List<Clause> clauses, String text) {
        this.clauses = List.copyOf(clauses);
        this.text = text;
    }

    /** @throws IllegalArgumentException with the clause at fault, when {@code text} is not a specifier set */
    public static VersionSpecifier parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty version specifier");
        }
        List<Clause> clauses = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            Matcher m = CLAUSE.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a PEP 440 version specifier: \"" + part.strip() + "\"");
            }
            Op op = Arrays.stream(Op.values()).filter(o -> o.symbol.equals(m.group(1))).findFirst().orElseThrow();
            String version = m.group(2);
            clauses.add(clause(op, version));
        }
        return new VersionSpecifier(clauses, text.strip().replaceAll("\\s+", ""));
    }

    private static Clause clause(Op op, String version) {
        if (op == Op.ARBITRARY) {
            return new Clause(op, version, null, false);
        }
        boolean prefix = version.endsWith(".*");
        if (prefix && op != Op.EQUAL && op != Op.NOT_EQUAL) {
            throw new IllegalArgumentException("a .* suffix is allowed only with == and !=, not in " + op.symbol + version);
        }
        Pep440Version parsed = Pep440Version.parse(prefix ? version.substring(0, version.length() - 2) : version)
                .orElseThrow(() -> new IllegalArgumentException("not a PEP 440 version in specifier: \"" + version + "\""));
        if (prefix && parsed.hasLocal()) {
            throw new IllegalArgumentException("a .* specifier cannot have a local label: " + version);
        }
        if (op == Op.COMPATIBLE && parsed.release().length < 2) {
            throw new IllegalArgumentException("~= needs at least two release segments: ~=" + version);
        }
        if (parsed.hasLocal() && op != Op.EQUAL && op != Op.NOT_EQUAL) {
            throw new IllegalArgumentException("a local label is allowed only with == and !=: " + op.symbol + version);
        }
        return new Clause(op, version, parsed, prefix);
    }

    /** Whether {@code candidate} (the raw version text, e.g. from a file name) satisfies every clause. */
    public boolean contains(String candidate) {
        Pep440Version parsed = Pep440Version.parse(candidate).orElse(null);
        for (Clause clause : clauses) {
            if (clause.op() == Op.ARBITRARY) {
                if (!clause.text().toLowerCase(Locale.ROOT).equals(candidate.strip().toLowerCase(Locale.ROOT))) {
                    return false;
                }
            } else if (parsed == null || !holds(clause, parsed)) {
                return false;
            }
        }
        return true;
    }

    public boolean contains(Pep440Version candidate) {
        return contains(candidate.toString());
    }

    private static boolean holds(Clause c, Pep440Version v) {
        Pep440Version spec = c.version();
        return switch (c.op()) {
            case EQUAL -> equal(c, v);
            case NOT_EQUAL -> !equal(c, v);
            case LESS_EQUAL -> v.publicVersion().compareTo(spec) <= 0;
            case GREATER_EQUAL -> v.publicVersion().compareTo(spec) >= 0;
            case LESS -> v.compareTo(spec) < 0
                    // <1.0 does not admit 1.0rc1 unless the specifier itself is a pre-release.
                    && !(!spec.isPreRelease() && v.isPreRelease() && v.baseVersion().equals(spec.baseVersion()));
            case GREATER -> v.compareTo(spec) > 0
                    && !(!spec.isPostRelease() && v.isPostRelease() && v.baseVersion().equals(spec.baseVersion()))
                    && !(v.hasLocal() && v.publicVersion().equals(spec));
            case COMPATIBLE -> v.publicVersion().compareTo(spec) >= 0 && prefixMatch(compatiblePrefix(spec), v);
            case ARBITRARY -> throw new IllegalStateException("handled by contains");
        };
    }

    private static boolean equal(Clause c, Pep440Version v) {
        if (c.prefix()) {
            return prefixMatch(c.version(), v);
        }
        // A specifier without a local label ignores the candidate's.
        return (c.version().hasLocal() ? v : v.publicVersion()).equals(c.version());
    }

    /** {@code ~=1.4.5} is {@code >=1.4.5, ==1.4.*}. */
    private static Pep440Version compatiblePrefix(Pep440Version spec) {
        long[] release = spec.release();
        StringBuilder s = new StringBuilder();
        if (spec.epoch() != 0) {
            s.append(spec.epoch()).append('!');
        }
        for (int i = 0; i < release.length - 1; i++) {
            s.append(i == 0 ? "" : ".").append(release[i]);
        }
        return Pep440Version.of(s.toString());
    }

    /**
     * {@code ==1.4.*}: the candidate's epoch equals and its release, padded with zeros, starts with the prefix's
     * segments; a prefix with a pre/post/dev part ({@code ==1.0rc1.*}) also needs the candidate's to start with it.
     */
    private static boolean prefixMatch(Pep440Version prefix, Pep440Version v) {
        if (prefix.epoch() != v.epoch()) {
            return false;
        }
        long[] p = prefix.release();
        long[] r = v.release();
        for (int i = 0; i < p.length; i++) {
            if ((i < r.length ? r[i] : 0) != p[i]) {
                return false;
            }
        }
        if (!prefix.equals(prefix.baseVersion())) {
            // ==1.0rc1.* : the whole candidate up to the prefix's end must match; compare the public forms' text.
            return v.publicVersion().toString().startsWith(prefix.toString());
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
