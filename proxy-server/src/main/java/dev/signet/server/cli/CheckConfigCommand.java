package dev.signet.server.cli;

import dev.signet.server.config.ConfigException;
import dev.signet.server.config.ConfigLoader;
import dev.signet.server.config.DeploymentChecks;
import dev.signet.server.config.SignetConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code signet check-config}: validate the configuration and print it as {@code serve} would use it. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = {"Validate the configuration and print the effective settings (secrets redacted).",
                "Takes the same settings as serve. Exit 0 valid, 2 invalid (every problem listed).",
                "Also refuses setups that load but cannot work: the example upstream or key of config/signet.yaml,",
                "a key both trusted and revoked, a cache dir that cannot be created or written, an unknown log level."})
final class CheckConfigCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() {
        Map<String, String> env = System.getenv();
        String effective;
        SignetConfig config;
        try {
            config = ConfigLoader.load(options.config, env, options.overrides());
            effective = ConfigLoader.describe(options.config, env, options.overrides());
        } catch (ConfigException e) {
            return Errors.report("invalid configuration", e.located());
        }
        List<String> problems = DeploymentChecks.problems(config, env);
        if (!problems.isEmpty()) {
            return Errors.report("configuration cannot work", problems);
        }
        System.out.print(effective);
        return 0;
    }
}
