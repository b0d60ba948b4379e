package dev.signet.server.cli;

import picocli.CommandLine;

/** The version Signet was built as; also shown on the admin status page. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"signet " + (v == null ? "development build" : v)};
    }
}
