package dev.signet.server.config;

import java.util.List;

/** Every configuration problem found, reported together so an operator fixes them in one pass. */
public final class ConfigException extends Exception {

    private final List<String> errors;

    public ConfigException(List<String> errors) {
        super(String.join("\n", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
