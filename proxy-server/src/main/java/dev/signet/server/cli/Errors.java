package dev.signet.server.cli;

import java.util.List;

/** How commands report failures: one line per problem on stderr, exit code 2 for usage/config, 1 otherwise. */
final class Errors {

    private Errors() {
    }

    static int report(String what, List<String> problems) {
        System.err.println("signet: " + what + ":");
        problems.forEach(p -> System.err.println("  - " + p));
        return 2;
    }

    static int fail(String message) {
        System.err.println("signet: " + message);
        return 1;
    }
}
