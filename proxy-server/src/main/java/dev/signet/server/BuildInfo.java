package dev.signet.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The version and git commit this build was made from, written into the jar by the build ({@code build.properties}
 * by Maven resource filtering, {@code build-commit} by {@code git describe}): what {@code signet --version} and the
 * {@code signet_build_info} metric report. "unknown" for a part the build could not learn (no git checkout).
 */
public record BuildInfo(String version, String commit) {

    private static final BuildInfo CURRENT = read();

    public static BuildInfo current() {
        return CURRENT;
    }

    private static BuildInfo read() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // Same as absent: the version is reported as unknown.
        }
        String commit = "";
        try (InputStream in = BuildInfo.class.getResourceAsStream("build-commit")) {
            if (in != null) {
                commit = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
        } catch (IOException e) {
            commit = "";
        }
        return new BuildInfo(known(properties.getProperty("version")), known(commit));
    }

    /** An unfiltered placeholder or an empty value is not a version. */
    private static String known(String value) {
        return value == null || value.isBlank() || value.contains("${") || value.contains("\n") ? "unknown" : value;
    }
}
