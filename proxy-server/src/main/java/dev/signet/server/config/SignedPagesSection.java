package dev.signet.server.config;

import dev.signet.pages.PagePolicy;
import dev.signet.pages.SignedPagesMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the signed-page settings: {@code signed-pages} and {@code page-keys} of the primary upstream (top level) and
 * of each {@code extra-upstreams} entry, and the edge-wide {@code page-clock-skew} and {@code page-stale-past-expiry}.
 * Page keys are read now, so a missing or malformed key file is reported with every other error.
 */
final class SignedPagesSection {

    static final String MODE = "signed-pages";
    static final String KEYS = "page-keys";
    static final String SKEW = "page-clock-skew";
    static final String STALE = "page-stale-past-expiry";
    /** A clock more than a day off is broken, and a larger allowance would make expiry meaningless. */
    private static final Duration MAX_SKEW = Duration.ofDays(1);

    private final List<String> errors;

    SignedPagesSection(List<String> errors) {
        this.errors = errors;
    }

    static void addDefaults(Map<String, String> d) {
        d.put(MODE, "off");
        d.put(KEYS, "");
        d.put(SKEW, "5m");
        d.put(STALE, "0s");
    }

    /** {@code where} prefixes the messages: "" for the top level, "extra-upstreams[1]." for an entry. */
    SignedPagesConfig read(Object rawMode, Object rawKeys, List<String> revoked, String where) {
        SignedPagesMode mode = SignedPagesMode.OFF;
        if (rawMode != null && !rawMode.toString().isBlank()) {
            try {
                mode = SignedPagesMode.parse(rawMode.toString());
            } catch (IllegalArgumentException e) {
                errors.add(where + MODE + ": " + e.getMessage());
            }
        }
        List<TrustedKeyConfig> keys = keys(rawKeys, where);
        if (mode != SignedPagesMode.OFF && keys.isEmpty()) {
            errors.add(where + MODE + ": " + mode.setting() + " needs at least one key in " + where + KEYS
                    + " (the keys trusted for this upstream's pages)");
        }
        if (!keys.isEmpty()) {
            try {
                KeyringFactory.build(KEYS, keys, revoked, true);
            } catch (ConfigException e) {
                e.errors().forEach(error -> errors.add(where + error));
            } catch (IllegalArgumentException e) {
                errors.add(where + KEYS + ": " + e.getMessage());
            }
        }
        return new SignedPagesConfig(mode, keys);
    }

    PagePolicy policy(Map<String, Object> values, ConfigLoader loader) {
        Duration skew = loader.parse(values, SKEW, Units::parseDuration);
        Duration stale = loader.parse(values, STALE, Units::parseDuration);
        if (skew != null && skew.compareTo(MAX_SKEW) > 0) {
            errors.add(SKEW + ": at most 1d (a clock that far off must be fixed, not allowed for)");
            skew = null;
        }
        return skew == null || stale == null ? PagePolicy.DEFAULT : new PagePolicy(skew, stale);
    }

    private List<TrustedKeyConfig> keys(Object raw, String where) {
        List<TrustedKeyConfig> out = new ArrayList<>();
        if (raw == null || (raw instanceof String s && s.isBlank())) {
            return out;
        }
        List<?> items = raw instanceof List<?> list ? list : ConfigLoader.splitList(raw.toString());
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            if (item == null || item instanceof Map || item instanceof List || item.toString().isBlank()) {
                errors.add(where + KEYS + "[" + i + "]: expected a minisign public key RW... or @path/to/key.pub");
            } else {
                out.add(TrustedKeyConfig.of(item.toString().trim()));
            }
        }
        return out;
    }
}
