package dev.signet.server.config;

import dev.signet.server.access.BcryptUser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Renders the effective configuration as YAML (loadable again with {@code --config}), with every secret redacted:
 * the admin token, passwords in URLs, and the password hashes of basic-auth users.
 */
final class EffectiveConfig {

    static final String REDACTED = "<redacted>";
    private static final Pattern USER_INFO = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^@/]*@");

    private EffectiveConfig() {
    }

    static String render(Map<String, String> defaults, Map<String, Object> given) {
        Map<String, Object> tree = new LinkedHashMap<>();
        for (Map.Entry<String, String> setting : defaults.entrySet()) {
            String key = setting.getKey();
            Object value = given.containsKey(key) ? given.get(key) : setting.getValue();
            put(tree, key, redact(key, value));
        }
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build();
        return new Dump(settings).dumpToString(tree);
    }

    private static Object redact(String key, Object value) {
        if (value == null) {
            return null;
        }
        if (ConfigLoader.LIST_KEYS.contains(key) && value.toString().isEmpty()) {
            return List.of();
        }
        return switch (key) {
            case "admin-token", "upstream-token" -> value.toString().isEmpty() ? "" : REDACTED;
            case "upstream", "upstream-proxy" -> redactUrl(value.toString());
            case "extra-upstreams" -> extraUpstreams(value);
            case "access.users" -> users(value);
            default -> plain(value);
        };
    }

    /** Each entry's token and the credentials in its URL are secrets like the primary's. */
    private static Object extraUpstreams(Object value) {
        if (!(value instanceof List<?> entries)) {
            return plain(value);
        }
        List<Object> out = new ArrayList<>();
        for (Object entry : entries) {
            if (entry instanceof Map<?, ?> map) {
                Map<Object, Object> copy = new LinkedHashMap<>(map);
                if (copy.get("token") != null && !copy.get("token").toString().isEmpty()) {
                    copy.put("token", REDACTED);
                }
                if (copy.get("url") != null) {
                    copy.put("url", redactUrl(copy.get("url").toString()));
                }
                out.add(copy);
            } else {
                out.add(entry);
            }
        }
        return out;
    }

    private static Object users(Object value) {
        List<String> out = new ArrayList<>();
        List<?> items = value instanceof List<?> l ? l : ConfigLoader.splitList(value.toString());
        for (Object item : items) {
            String entry = String.valueOf(item);
            int colon = entry.indexOf(':');
            out.add(colon < 0 ? REDACTED : new BcryptUser(entry.substring(0, colon), "").redacted());
        }
        return out;
    }

    /** Keeps YAML-native lists and mappings (trusted-keys entries), prints everything else as text. */
    private static Object plain(Object value) {
        if (value instanceof List<?> || value instanceof Map<?, ?>) {
            return value;
        }
        return value.toString();
    }

    static String redactUrl(String url) {
        return USER_INFO.matcher(url).replaceFirst("$1" + REDACTED + "@");
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> tree, String dottedKey, Object value) {
        String[] parts = dottedKey.split("\\.");
        Map<String, Object> node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            node = (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
        }
        node.put(parts[parts.length - 1], value);
    }
}
