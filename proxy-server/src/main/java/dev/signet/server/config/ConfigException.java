package dev.signet.server.config;

import java.util.List;

/** Every configuration problem found, reported together so an operator fixes them in one pass. */
public final class ConfigException extends Exception {

    private final List<String> errors;
    private final List<String> located;

    public ConfigException(List<String> errors) {
        this(errors, errors);
    }

    /**
     * @param errors  each problem, naming the setting
     * @param located the same problems in the same order, each about a setting the config file gave prefixed with
     *                where it gave it ({@code signet.yaml:12:1: })
     */
    ConfigException(List<String> errors, List<String> located) {
        super(String.join("\n", located));
        this.errors = List.copyOf(errors);
        this.located = List.copyOf(located);
    }

    public List<String> errors() {
        return errors;
    }

    /** As {@link #errors()}, with the file, line and column of each setting the config file gave: what a person reads. */
    public List<String> located() {
        return located;
    }
}
