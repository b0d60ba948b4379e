package dev.signet.server.cli;

import dev.signet.events.SignetListener;
import dev.signet.server.SignetServer;
import dev.signet.server.config.ConfigException;
import dev.signet.server.config.ConfigLoader;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import sun.misc.Signal;

/** {@code signet serve}: run the proxy until SIGTERM/SIGINT. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the verifying proxy.",
                "Settings come from --config (YAML), then SIGNET_* environment variables, then these flags."})
final class ServeCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() {
        ConfigLoader.Loaded effective;
        try {
            effective = ConfigLoader.loadDescribed(options.config, System.getenv(), options.overrides());
        } catch (ConfigException e) {
            return Errors.report("invalid configuration", e.located());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (SignetServer server = SignetServer.start(effective.config(), effective.description(), SignetListener.NONE)) {
            // SIGTERM (docker stop, Kubernetes) and SIGINT (Ctrl-C) end serve like a normal return: the server
            // closes completely (listener, in-flight work, store) and the process exits 0. Left to the JVM, the
            // signal would start a shutdown that halts while close() is still running, with exit status 143.
            Signal.handle(new Signal("TERM"), signal -> stopped.countDown());
            Signal.handle(new Signal("INT"), signal -> stopped.countDown());
            stopped.await();
            server.drainAndClose();
            return 0;
        } catch (ConfigException e) {
            return Errors.report("invalid configuration", e.located());
        } catch (IOException e) {
            return Errors.report("cannot start", List.of(Errors.describe(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
