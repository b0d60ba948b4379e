package dev.signet.server.cli;

import dev.signet.server.BuildInfo;
import picocli.CommandLine;

/**
 * {@code signet --version}: the version and git commit the build recorded, e.g. {@code signet 0.1.0 (commit
 * 1a2b3c4d5e6f)}; also shown on the admin status page.
 */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        BuildInfo build = BuildInfo.current();
        return new String[] {"signet " + build.version() + " (commit " + build.commit() + ")"};
    }
}
