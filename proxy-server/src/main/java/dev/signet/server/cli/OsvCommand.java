package dev.signet.server.cli;

import dev.signet.policy.Advisory;
import dev.signet.policy.OsvFormatException;
import dev.signet.server.config.ConfigException;
import dev.signet.server.config.ConfigLoader;
import dev.signet.server.config.SignetConfig;
import dev.signet.server.policy.PolicyState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code signet osv}: the known-malicious and vulnerable releases the policy blocks (OSV advisories). */
@Command(name = "osv", mixinStandardHelpOptions = true, subcommands = OsvCommand.Import.class,
        description = "Manage the OSV advisory database of the supply-chain policy (see policy: in config/signet.yaml).")
final class OsvCommand implements Runnable {

    @Override
    public void run() {
        System.err.println("usage: signet osv import [--config FILE] FILE.zip");
    }

    /** {@code signet osv import FILE.zip}: for sites without internet access. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Import OSV's PyPI export (all.zip from osv-vulnerabilities.storage.googleapis.com/PyPI/)",
                    "into the cache directory of the configuration (same settings as serve). A malformed file is",
                    "refused and the previous database kept. A running Signet uses the new one after",
                    "POST /policy/reload on its admin listener, or a restart. Exit 0 imported, 1 refused, 2 usage."})
    static final class Import implements Callable<Integer> {

        @Mixin
        ConfigOptions options;

        @Parameters(index = "0", paramLabel = "FILE.zip", description = "OSV export (one JSON advisory per entry)")
        Path zip;

        @Override
        public Integer call() {
            SignetConfig config;
            try {
                config = ConfigLoader.load(options.config, System.getenv(), options.overrides());
            } catch (ConfigException e) {
                return Errors.report("invalid configuration", e.errors());
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(zip);
            } catch (NoSuchFileException e) {
                return Errors.fail("cannot import " + zip + ": no such file");
            } catch (IOException e) {
                return Errors.fail("cannot read " + zip + ": " + e.getMessage());
            }
            Path dir = PolicyState.directory(config.cacheDir());
            try {
                List<Advisory> advisories = PolicyState.install(dir, bytes);
                long malicious = advisories.stream().filter(Advisory::malicious).count();
                System.out.println("imported " + advisories.size() + " PyPI advisories (" + malicious
                        + " known-malicious) into " + dir + "; a running Signet uses them after POST /policy/reload"
                        + " on its admin listener, or a restart");
                return 0;
            } catch (OsvFormatException e) {
                return Errors.fail("refused " + zip + ": " + e.getMessage() + "; the previous database is kept");
            } catch (IOException e) {
                return Errors.fail("cannot write the advisory database into " + dir + ": " + e.getMessage());
            }
        }
    }
}
