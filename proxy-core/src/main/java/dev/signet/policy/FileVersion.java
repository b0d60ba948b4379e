package dev.signet.policy;

import dev.signet.publish.DistributionName;
import dev.signet.publish.PublishException;
import java.util.Locale;

/**
 * A file as the policy sees it: its name and the version its name gives ({@code null} when the name is not a wheel
 * or sdist name that parses). A PEP 658 {@code FILE.metadata} is judged as {@code FILE}: its metadata must not be
 * served when the file itself is not.
 */
public record FileVersion(String fileName, String version) {

    static final String METADATA_SUFFIX = ".metadata";

    public static FileVersion of(String fileName) {
        String name = fileName.endsWith(METADATA_SUFFIX)
                ? fileName.substring(0, fileName.length() - METADATA_SUFFIX.length()) : fileName;
        try {
            return new FileVersion(name, DistributionName.parse(name).version());
        } catch (PublishException notADistribution) {
            return new FileVersion(name, legacyVersion(name));
        }
    }

    /** Old sdist spellings ({@code .tar.bz2}, {@code .tgz}) and eggs that the publisher does not write but pages list. */
    private static String legacyVersion(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String ext : new String[] {".tar.bz2", ".tar.xz", ".tgz", ".tar", ".egg"}) {
            if (lower.endsWith(ext)) {
                String stem = name.substring(0, name.length() - ext.length());
                int dash = ext.equals(".egg") ? stem.indexOf('-') : stem.lastIndexOf('-');
                if (dash > 0) {
                    String rest = stem.substring(dash + 1);
                    int next = rest.indexOf('-');
                    return next < 0 ? rest : rest.substring(0, next);
                }
            }
        }
        return null;
    }

    static boolean looksLikeFile(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.endsWith(".whl") || lower.endsWith(".tar.gz") || lower.endsWith(".zip") || lower.endsWith(".tgz")
                || lower.endsWith(".tar.bz2") || lower.endsWith(".egg") || lower.endsWith(METADATA_SUFFIX);
    }
}
