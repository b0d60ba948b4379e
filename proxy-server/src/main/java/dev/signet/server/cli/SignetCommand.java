package dev.signet.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code signet}: the command-line entry point. */
@Command(name = "signet", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A caching proxy for Python package indexes that verifies every artifact's minisign signature.",
        subcommands = {ServeCommand.class, CheckConfigCommand.class, DemoCommand.class, KeygenCommand.class, SignCommand.class,
                VerifyCommand.class, HealthCommand.class,
                CommandLine.HelpCommand.class})
public final class SignetCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        // @path is how keys are named (--trusted-key @index.pub, verify -k @key.pub); picocli's default @-file
        // expansion would instead splice the key file's words into the arguments.
        return new CommandLine(new SignetCommand()).setCaseInsensitiveEnumValuesAllowed(true).setExpandAtFiles(false);
    }
}
