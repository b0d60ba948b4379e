package dev.signet.server.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The installer command lines that work against a Signet listening on a given address, as the demo prints them.
 *
 * <p>pip refuses a plain-HTTP index on any host but loopback ({@code 127.0.0.0/8}, {@code ::1}, {@code localhost}) with
 * "not a trusted or secure host" unless that host is named with {@code --trusted-host}; a listener on a wildcard
 * address is reached from this machine over loopback and from others by this machine's name.
 */
final class InstallerCommands {

    private InstallerCommands() {
    }

    /** The pip commands to print, each a single line: one per way the listener can be reached. */
    static List<String> pip(InetSocketAddress listening, Path target, String requirement) {
        List<String> commands = new ArrayList<>();
        InetAddress address = listening.getAddress();
        int port = listening.getPort();
        if (address.isAnyLocalAddress()) {
            commands.add(pipLine(url("127.0.0.1", port), null, target, requirement));
            commands.add(pipLine(url(localHostName(), port), localHostName(), target, requirement));
        } else if (address.isLoopbackAddress()) {
            commands.add(pipLine(url(hostLiteral(address), port), null, target, requirement));
        } else {
            commands.add(pipLine(url(hostLiteral(address), port), hostLiteral(address), target, requirement));
        }
        return commands;
    }

    private static String pipLine(String indexUrl, String trustedHost, Path target, String requirement) {
        // --upgrade: a second run into the same --target replaces the install instead of warning that it exists.
        return "python3 -m pip install --isolated --no-cache-dir --index-url " + indexUrl
                + (trustedHost == null ? "" : " --trusted-host " + trustedHost)
                + " --upgrade --target " + target + " " + requirement;
    }

    private static String url(String host, int port) {
        return "http://" + host + ":" + port + "/simple/";
    }

    private static String hostLiteral(InetAddress address) {
        String host = address.getHostAddress();
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** This machine's name as other machines would use it; "HOST" when it has none the JVM can tell. */
    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "HOST";
        }
    }
}
