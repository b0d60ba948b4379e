package dev.signet.server.config;

import dev.signet.server.lifecycle.OsReason;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The two outer layers of the configuration, read into dotted keys: the YAML file and the {@code SIGNET_*}
 * environment. Problems are worded for the person who wrote them: the file, line and column of a setting
 * ({@code signet.yaml:12:1: unknown setting 'index-tll' (did you mean index-ttl?)}), and the right complaint for a
 * single value where a section's mapping belongs.
 */
final class ConfigSources {

    private final Map<String, String> defaults;
    private final List<String> errors;
    /** Where each setting the file gives was written: {@code FILE:LINE:COLUMN}, one-based like an editor's. */
    private final Map<String, String> locations = new LinkedHashMap<>();

    ConfigSources(Map<String, String> defaults, List<String> errors) {
        this.defaults = defaults;
        this.errors = errors;
    }

    /**
     * Reads {@code file} into {@code values}. Returns {@code false} when the file could not be used at all (unreadable,
     * not YAML, not a mapping): the caller then reports only that, since every "required" setting would otherwise
     * look missing although the file sets it.
     */
    boolean readYaml(Path file, Map<String, Object> values) {
        if (Files.isDirectory(file)) {
            errors.add("cannot read config file " + file + ": is a directory");
            return false;
        }
        LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).setAllowDuplicateKeys(false).build();
        Optional<Node> root;
        Object tree;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Compose(settings).composeReader(reader);
            tree = new StandardConstructor(settings).constructSingleDocument(root);
        } catch (IOException e) {
            errors.add("cannot read config file " + file + ": " + OsReason.of(e, file));
            return false;
        } catch (MarkedYamlEngineException e) {
            errors.add(where(file, e.getProblemMark().or(e::getContextMark)) + "not valid YAML: " + describe(e));
            return false;
        } catch (YamlEngineException e) {
            errors.add("config file " + file + " is not valid YAML: " + e.getMessage().replace('\n', ' '));
            return false;
        }
        if (tree == null) {
            return true;
        }
        if (!(tree instanceof Map<?, ?> map) || !(root.orElseThrow() instanceof MappingNode mapping)) {
            errors.add("config file " + file + " must be a mapping of settings");
            return false;
        }
        recordLocations(file, "", mapping);
        flatten(file, "", map, values);
        return true;
    }

    private void flatten(Path file, String prefix, Map<?, ?> map, Map<String, Object> values) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            Object value = e.getValue();
            boolean section = isSection(key);
            if (value instanceof Map<?, ?> nested && !defaults.containsKey(key)) {
                if (!section) {
                    errors.add(at(key, file) + "unknown setting '" + key + "'" + Suggestions.didYouMean(key, defaults.keySet()));
                    continue;
                }
                flatten(file, key + ".", nested, values);
            } else if (value == null && section) {
                // A section whose settings are all commented out is empty, not an unknown setting.
                continue;
            } else if (section) {
                errors.add(at(key, file) + key + ": expected a mapping of settings (" + sectionSettings(key)
                        + "), got " + (value instanceof List<?> ? "a list" : "'" + value + "'"));
            } else if (!defaults.containsKey(key)) {
                errors.add(at(key, file) + "unknown setting '" + key + "'" + Suggestions.didYouMean(key, defaults.keySet()));
            } else {
                values.put(key, value);
            }
        }
    }

    boolean isSection(String key) {
        return defaults.keySet().stream().anyMatch(k -> k.startsWith(key + "."));
    }

    /** The settings of a section, as a person writes them under it: {@code connect, first-byte, idle, total}. */
    String sectionSettings(String section) {
        return defaults.keySet().stream().filter(k -> k.startsWith(section + "."))
                .map(k -> k.substring(section.length() + 1)).collect(Collectors.joining(", "));
    }

    void readEnv(Map<String, String> env, Map<String, Object> values, List<String> nonSettingVariables) {
        Map<String, String> byEnv = new LinkedHashMap<>();
        defaults.keySet().forEach(key -> byEnv.put(ConfigLoader.envName(key), key));
        env.forEach((name, value) -> {
            if (!name.startsWith("SIGNET_") || nonSettingVariables.contains(name)) {
                return;
            }
            String key = byEnv.get(name);
            if (key == null) {
                List<String> known = new java.util.ArrayList<>(byEnv.keySet());
                known.addAll(nonSettingVariables);
                errors.add("unknown environment variable " + name + Suggestions.didYouMean(name, known));
            } else {
                // A value from the environment replaces the file's, and so does its place in error messages.
                locations.remove(key);
                values.put(key, ConfigLoader.LIST_KEYS.contains(key) ? ConfigLoader.splitList(value) : value);
            }
        });
    }

    /** A setting given again by a later layer is no longer the file's. */
    void overridden(String key) {
        locations.remove(key);
    }

    /**
     * Prefixes each error about a setting the file gave with where the file gave it: the longest recorded key the error
     * starts with ({@code trusted-keys[1]} before {@code trusted-keys}).
     */
    List<String> located(List<String> problems) {
        return problems.stream().map(problem -> {
            String best = null;
            for (String key : locations.keySet()) {
                if (problem.startsWith(key) && problem.length() > key.length()
                        && ":[. ".indexOf(problem.charAt(key.length())) >= 0
                        && (best == null || key.length() > best.length())) {
                    best = key;
                }
            }
            return best == null ? problem : locations.get(best) + ": " + problem;
        }).toList();
    }

    private void recordLocations(Path file, String prefix, MappingNode mapping) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                continue;
            }
            String key = prefix + keyNode.getValue();
            locations.put(key, location(file, keyNode.getStartMark()));
            Node value = tuple.getValueNode();
            if (value instanceof MappingNode nested && !defaults.containsKey(key)) {
                recordLocations(file, key + ".", nested);
            } else if (value instanceof SequenceNode list) {
                for (int i = 0; i < list.getValue().size(); i++) {
                    locations.put(key + "[" + i + "]", location(file, list.getValue().get(i).getStartMark()));
                }
            }
        }
    }

    private String at(String key, Path file) {
        return locations.getOrDefault(key, file.toString()) + ": ";
    }

    private static String where(Path file, Optional<Mark> mark) {
        return location(file, mark) + ": ";
    }

    private static String location(Path file, Optional<Mark> mark) {
        return mark.map(m -> file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1)).orElse(file.toString());
    }

    /** The parser's problem, and what it was in the middle of, on one line without the snippet it draws. */
    private static String describe(MarkedYamlEngineException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem();
        String context = e.getContext() == null ? "" : e.getContext();
        String text = context.isEmpty() ? problem : problem.isEmpty() ? context : problem + " (" + context + ")";
        return text.replace('\n', ' ').strip();
    }
}
