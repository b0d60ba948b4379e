package dev.signet.server.cli;

import dev.signet.server.UpstreamProbe;
import dev.signet.server.config.ConfigException;
import dev.signet.server.config.ConfigLoader;
import dev.signet.server.config.DeploymentChecks;
import dev.signet.server.config.SignetConfig;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code signet check-config}: validate the configuration and print it as {@code serve} would use it. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = {"Validate the configuration and print the effective settings (secrets redacted).",
                "Takes the same settings as serve. Exit 0 valid, 2 invalid (every problem listed).",
                "Also refuses setups that load but cannot work: the example upstream or key of config/signet.yaml,",
                "a key both trusted and revoked, a cache dir that cannot be created or written, an unknown log level.",
                "With --probe it also asks each upstream once for its simple-API root and says whether it answers",
                "like a simple index (exit 2 if one does not)."})
final class CheckConfigCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--probe", description = "Contact each upstream once (through upstream-proxy, with its credentials "
            + "and CA bundle) and report whether it answers like a simple index.")
    boolean probe;

    @Override
    public Integer call() {
        Map<String, String> env = System.getenv();
        String effective;
        SignetConfig config;
        try {
            ConfigLoader.Loaded loaded = ConfigLoader.loadDescribed(options.config, env, options.overrides());
            config = loaded.config();
            effective = loaded.description();
        } catch (ConfigException e) {
            return Errors.report("invalid configuration", e.located());
        }
        List<String> problems = DeploymentChecks.problems(config, env);
        if (!problems.isEmpty()) {
            return Errors.report("configuration cannot work", problems);
        }
        System.out.print(effective);
        return probe ? probe(config) : 0;
    }

    private static int probe(SignetConfig config) {
        List<UpstreamProbe.Result> results;
        try {
            results = UpstreamProbe.probe(config);
        } catch (IOException | ConfigException e) {
            return Errors.report("cannot probe the upstreams", List.of(String.valueOf(e.getMessage())));
        }
        List<String> failed = results.stream().filter(r -> !r.ok()).map(UpstreamProbe.Result::line).toList();
        // After the YAML on stdout, as comments, so the output stays a valid configuration file.
        results.stream().filter(UpstreamProbe.Result::ok).forEach(r -> System.out.println("# probe: " + r.line()));
        return failed.isEmpty() ? 0 : Errors.report("an upstream does not answer like a simple index", failed);
    }
}
