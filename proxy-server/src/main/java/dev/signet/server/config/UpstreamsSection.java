package dev.signet.server.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Reads {@code upstream-name}, {@code upstream-token}, {@code extra-upstreams} and {@code pins}, collecting every
 * problem into the loader's error list. Kept apart from {@link ConfigLoader} so the single-upstream settings stay as
 * they were.
 */
final class UpstreamsSection {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Pattern PIN_PATTERN = Pattern.compile("[a-z0-9*?-]+");
    private static final List<String> EXTRA_KEYS = List.of("name", "url", "trusted-keys", "token",
            SignedPagesSection.MODE, SignedPagesSection.KEYS);

    private final List<String> errors;
    private final BiFunction<Map<?, ?>, String, TrustedKeyConfig> keyReader;
    private final SignedPagesSection signedPages;
    private final List<String> revoked;

    UpstreamsSection(List<String> errors, BiFunction<Map<?, ?>, String, TrustedKeyConfig> keyReader, List<String> revoked) {
        this.errors = errors;
        this.keyReader = keyReader;
        this.signedPages = new SignedPagesSection(errors);
        this.revoked = revoked == null ? List.of() : revoked;
    }

    UpstreamsConfig read(Map<String, Object> values, ConfigLoader loader) {
        String primaryName = text(values.get("upstream-name"), UpstreamsConfig.DEFAULT_PRIMARY_NAME);
        if (!NAME.matcher(primaryName).matches()) {
            errors.add("upstream-name: expected lowercase letters, digits, '-' or '_' (at most 63), got '" + primaryName + "'");
        }
        String primaryToken = text(values.get("upstream-token"), "");
        List<ExtraUpstreamConfig> extras = extras(values.get("extra-upstreams"));
        Set<String> names = new LinkedHashSet<>();
        names.add(primaryName);
        for (ExtraUpstreamConfig extra : extras) {
            if (!names.add(extra.name())) {
                errors.add("extra-upstreams: the name '" + extra.name() + "' is used twice (names must be unique)");
            }
        }
        Map<String, String> pins = pins(values.get("pins"), names);
        SignedPagesConfig primaryPages = signedPages.read(values.get(SignedPagesSection.MODE),
                values.get(SignedPagesSection.KEYS), revoked, "");
        return new UpstreamsConfig(primaryName, primaryToken, extras, pins, primaryPages,
                signedPages.policy(values, loader));
    }

    private static String text(Object raw, String fallback) {
        return raw == null || raw.toString().isBlank() ? fallback : raw.toString().trim();
    }

    private List<ExtraUpstreamConfig> extras(Object raw) {
        List<ExtraUpstreamConfig> out = new ArrayList<>();
        if (raw == null || (raw instanceof String s && s.isBlank())) {
            return out;
        }
        if (!(raw instanceof List<?> list)) {
            errors.add("extra-upstreams: expected a list of mappings {name, url, trusted-keys, token} (set it in the config file)");
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            String where = "extra-upstreams[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> map)) {
                errors.add(where + ": expected a mapping {name, url, trusted-keys, token}");
                continue;
            }
            ExtraUpstreamConfig extra = extra(map, where);
            if (extra != null) {
                out.add(extra);
            }
        }
        return out;
    }

    private ExtraUpstreamConfig extra(Map<?, ?> map, String where) {
        int before = errors.size();
        for (Object k : map.keySet()) {
            if (!EXTRA_KEYS.contains(String.valueOf(k))) {
                errors.add(where + ": unknown setting '" + k + "' (expected " + String.join(", ", EXTRA_KEYS) + ")");
            }
        }
        String name = map.get("name") == null ? "" : map.get("name").toString().trim();
        if (!NAME.matcher(name).matches()) {
            errors.add(where + ".name: required; lowercase letters, digits, '-' or '_' (at most 63), got '" + name + "'");
        }
        URI url = null;
        if (map.get("url") == null) {
            errors.add(where + ".url: required");
        } else {
            try {
                url = ConfigLoader.httpUrl(map.get("url").toString().trim());
            } catch (IllegalArgumentException e) {
                errors.add(where + ".url: " + e.getMessage());
            }
        }
        List<TrustedKeyConfig> keys = new ArrayList<>();
        Object rawKeys = map.get("trusted-keys");
        if (!(rawKeys instanceof List<?> items) || items.isEmpty()) {
            errors.add(where + ".trusted-keys: required, a list of at least one key (each upstream has its own keys)");
        } else {
            for (int k = 0; k < items.size(); k++) {
                Object item = items.get(k);
                String at = where + ".trusted-keys[" + k + "]";
                if (item instanceof Map<?, ?> keyMap) {
                    keys.add(keyReader.apply(keyMap, at));
                } else if (item != null && !item.toString().isBlank()) {
                    keys.add(TrustedKeyConfig.of(item.toString().trim()));
                } else {
                    errors.add(at + ": empty key");
                }
            }
        }
        String token = map.get("token") == null ? "" : map.get("token").toString().trim();
        if (url != null && url.getRawUserInfo() != null && !token.isEmpty()) {
            errors.add(where + ": give either user:pass@ in the url or a token, not both");
        }
        SignedPagesConfig pages = signedPages.read(map.get(SignedPagesSection.MODE), map.get(SignedPagesSection.KEYS),
                revoked, where + ".");
        return errors.size() == before ? new ExtraUpstreamConfig(name, url, keys, token, pages) : null;
    }

    /** A mapping in YAML, or {@code pattern=name,pattern=name} from the environment or the command line. */
    private Map<String, String> pins(Object raw, Set<String> names) {
        Map<String, String> pins = new LinkedHashMap<>();
        if (raw == null || (raw instanceof String s && s.isBlank())) {
            return pins;
        }
        if (raw instanceof Map<?, ?> map) {
            map.forEach((k, v) -> pins.put(String.valueOf(k).trim(), String.valueOf(v).trim()));
        } else if (raw instanceof String s) {
            for (String part : s.split(",")) {
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    errors.add("pins: expected pattern=upstream-name, got '" + part.trim() + "'");
                    continue;
                }
                pins.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        } else {
            errors.add("pins: expected a mapping of project pattern to upstream name");
            return pins;
        }
        pins.forEach((pattern, name) -> {
            if (!PIN_PATTERN.matcher(pattern).matches()) {
                errors.add("pins: '" + pattern + "' is not a normalized project name pattern (lowercase letters, digits, '-', '*', '?')");
            }
            if (!names.contains(name)) {
                errors.add("pins." + pattern + ": unknown upstream '" + name + "' (known: " + String.join(", ", names) + ")");
            }
        });
        return pins;
    }
}
