package dev.signet.server.cli;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code signet}: the command-line entry point. */
@Command(name = "signet", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A caching proxy for Python package indexes that verifies every artifact's minisign signature.",
        subcommands = {ServeCommand.class, CheckConfigCommand.class, DemoCommand.class, KeygenCommand.class, SignCommand.class, PublishCommand.class,
                VerifyCommand.class, HealthCommand.class, OsvCommand.class,
                CommandLine.HelpCommand.class, AutoComplete.GenerateCompletion.class})
public final class SignetCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        int status = commandLine().execute(args);
        // The access log is written in batches by its own thread: stopping logging writes what is still queued,
        // so the last requests before a shutdown are in the log.
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logging) {
            logging.stop();
        }
        System.exit(status);
    }

    public static CommandLine commandLine() {
        // @path is how keys are named (--trusted-key @index.pub, verify -k @key.pub); picocli's default @-file
        // expansion would instead splice the key file's words into the arguments.
        return new CommandLine(new SignetCommand()).setCaseInsensitiveEnumValuesAllowed(true).setExpandAtFiles(false)
                .setExecutionExceptionHandler(new Errors.IoFailures());
    }
}
