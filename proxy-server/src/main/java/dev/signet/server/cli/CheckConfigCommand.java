package dev.signet.server.cli;

import dev.signet.server.config.ConfigException;
import dev.signet.server.config.ConfigLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code signet check-config}: validate the configuration and print it as {@code serve} would use it. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = {"Validate the configuration and print the effective settings (secrets redacted).",
                "Takes the same settings as serve. Exit 0 valid, 2 invalid (every problem listed)."})
final class CheckConfigCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() {
        try {
            System.out.print(ConfigLoader.describe(options.config, System.getenv(), options.overrides()));
            return 0;
        } catch (ConfigException e) {
            return Errors.report("invalid configuration", e.located());
        }
    }
}
