package dev.signet.server.cli;

/** Entry point placeholder replaced by the picocli command tree. */
public final class SignetCommand {
    public static void main(String[] args) {
    }
}
