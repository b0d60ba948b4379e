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
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]{1,18}");
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
            // A list of its own: List.of() is one shared instance, which YAML would print as an anchor and aliases.
            return new ArrayList<>();
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
                out.add(plain(copy));
            } else {
                out.add(plain(entry));
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

    /**
     * Plain YAML a person reads and the loader reads back: lists and mappings copied (one object listed twice would
     * otherwise be written as an {@code &id001} anchor and a {@code *id001} alias), {@code true}/{@code false} and
     * whole numbers as YAML booleans and integers (a string "true" is written quoted), everything else as text.
     */
    private static Object plain(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(EffectiveConfig::plain).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, v == null ? null : plain(v)));
            return copy;
        }
        String text = value.toString();
        if (text.equals("true") || text.equals("false")) {
            return Boolean.valueOf(text);
        }
        if (WHOLE_NUMBER.matcher(text).matches()) {
            // Only when it prints back the same: "0123" stays text, its leading zero may matter.
            try {
                long number = Long.parseLong(text);
                return String.valueOf(number).equals(text) ? number : text;
            } catch (NumberFormatException e) {
                return text;
            }
        }
        return text;
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
