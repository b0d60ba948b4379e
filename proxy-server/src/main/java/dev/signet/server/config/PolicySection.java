package dev.signet.server.config;

import dev.signet.policy.Advisories;
import dev.signet.policy.FileRule;
import dev.signet.policy.MinAge;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads the {@code policy.*} settings into a {@link PolicyConfig}; every problem is added to the loader's errors. */
final class PolicySection {

    static final String MIN_AGE = "policy.min-age";
    static final String OVERRIDES = "policy.min-age-overrides";
    static final String EXEMPT = "policy.exempt";
    static final String UNKNOWN_AGE = "policy.unknown-age";
    static final String BLOCK = "policy.block";
    static final String SEVERITY = "policy.advisory-block-severity";
    static final String IDS = "policy.advisory-block-ids";
    static final String OSV_URL = "policy.osv-url";
    static final String OSV_INTERVAL = "policy.osv-fetch-interval";
    static final String HIDE_REFUSED = "policy.hide-refused-files";
    /** The list settings, split at commas when given as one string (an environment variable). */
    static final List<String> LISTS = List.of(OVERRIDES, EXEMPT, BLOCK, IDS);

    private final ConfigLoader loader;
    private final Map<String, Object> values;

    PolicySection(ConfigLoader loader, Map<String, Object> values) {
        this.loader = loader;
        this.values = values;
    }

    static void addDefaults(Map<String, String> d) {
        d.put(MIN_AGE, "off");
        d.put(OVERRIDES, "");
        d.put(EXEMPT, "");
        d.put(UNKNOWN_AGE, "too-new");
        d.put(BLOCK, "");
        d.put(SEVERITY, "off");
        d.put(IDS, "");
        d.put(OSV_URL, "");
        d.put(OSV_INTERVAL, "1d");
        d.put(HIDE_REFUSED, "true");
    }

    PolicyConfig read() {
        int before = errorCount();
        Duration minAge = loader.parse(values, MIN_AGE, PolicySection::minAge);
        Boolean unknownTooNew = loader.parse(values, UNKNOWN_AGE, PolicySection::unknownAge);
        String severity = loader.parse(values, SEVERITY, PolicySection::severity);
        URI osvUrl = loader.parse(values, OSV_URL, PolicySection::osvUrl);
        Duration interval = loader.parse(values, OSV_INTERVAL, ConfigLoader::positiveDuration);
        Boolean hide = loader.parse(values, HIDE_REFUSED, ConfigLoader::bool);
        List<MinAge.Override> overrides = new ArrayList<>();
        for (String item : list(OVERRIDES)) {
            int eq = item.lastIndexOf('=');
            try {
                if (eq <= 0) {
                    throw new IllegalArgumentException("expected PATTERN=DURATION (internal-*=0s), got '" + item + "'");
                }
                overrides.add(new MinAge.Override(item.substring(0, eq).trim(), minAge(item.substring(eq + 1).trim())));
            } catch (IllegalArgumentException e) {
                loader.error(OVERRIDES + ": " + e.getMessage());
            }
        }
        List<FileRule> exemptions = rules(EXEMPT);
        List<FileRule> blocks = rules(BLOCK);
        Set<String> ids = new LinkedHashSet<>(list(IDS));
        if (errorCount() != before || minAge == null || unknownTooNew == null || interval == null || hide == null) {
            return null;
        }
        return new PolicyConfig(new MinAge(minAge, overrides, exemptions, unknownTooNew), blocks,
                severity.equals("off") ? null : severity, ids, osvUrl, interval, hide);
    }

    private int errorCount() {
        return loader.errorCount();
    }

    private List<FileRule> rules(String key) {
        List<FileRule> out = new ArrayList<>();
        for (String item : list(key)) {
            try {
                out.add(FileRule.parse(item));
            } catch (IllegalArgumentException e) {
                loader.error(key + ": " + e.getMessage());
            }
        }
        return out;
    }

    /** A YAML list, or one comma-separated string (environment variables, {@code --set}). */
    private List<String> list(String key) {
        Object raw = values.containsKey(key) ? values.get(key) : ConfigLoader.DEFAULTS.get(key);
        if (raw == null) {
            return List.of();
        }
        if (raw instanceof Map<?, ?>) {
            loader.error(key + ": expected a list, got a mapping");
            return List.of();
        }
        List<?> items = raw instanceof List<?> l ? l : ConfigLoader.splitList(raw.toString());
        List<String> out = new ArrayList<>();
        for (Object item : items) {
            if (item == null || item instanceof Map || item instanceof List || item.toString().isBlank()) {
                loader.error(key + ": every entry must be a non-empty string");
            } else {
                out.add(item.toString().trim());
            }
        }
        return out;
    }

    /** {@code off} (zero) or a duration; at most a year (a longer cooldown is a block). */
    static Duration minAge(String text) {
        Duration d = text.equalsIgnoreCase("off") ? Duration.ZERO : Units.parseDuration(text);
        if (d.compareTo(Duration.ofDays(366)) > 0) {
            throw new IllegalArgumentException("must be at most 366d (block the files instead), got " + text);
        }
        return d;
    }

    static boolean unknownAge(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "too-new" -> true;
            case "allow" -> false;
            default -> throw new IllegalArgumentException("expected too-new or allow, got '" + text + "'");
        };
    }

    static String severity(String text) {
        String s = text.toLowerCase(Locale.ROOT);
        if (!s.equals("off") && !Advisories.SEVERITIES.contains(s)) {
            throw new IllegalArgumentException("expected off, low, moderate, high or critical, got '" + text + "'");
        }
        return s;
    }

    static URI osvUrl(String text) {
        if (text.isEmpty()) {
            return null;
        }
        URI uri = URI.create(text);
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("expected an http(s) URL of an OSV all.zip, got '" + text + "'");
        }
        return uri;
    }
}
