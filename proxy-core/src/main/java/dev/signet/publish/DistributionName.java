package dev.signet.publish;

import dev.signet.index.ProjectName;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a distribution's file name says: its project and version. Wheels follow the binary distribution format
 * ({@code name-version(-build)?-python-abi-platform.whl}), sdists {@code name-version.tar.gz} (or the legacy
 * {@code .zip}). The name part is validated (PEP 508) and normalised (PEP 503), so two spellings of one project land
 * on one page.
 *
 * @param fileName the file name as published
 * @param project  the PEP 503 normalised project name
 * @param version  the version as the file name spells it
 * @param wheel    whether it is a wheel (only wheels carry metadata the publisher extracts)
 * @param clashKey the key under which two files are one file to an installer: the normalised project and the rest
 *                 of the name, case-insensitively ({@code Foo-1.0.tar.gz} and {@code foo-1.0.tar.gz} clash)
 */
public record DistributionName(String fileName, String project, String version, boolean wheel, String clashKey) {

    private static final Pattern WHEEL = Pattern.compile(
            "([^-]+)-([^-]+)(?:-([0-9][^-]*))?-([^-]+)-([^-]+)-([^-]+)\\.whl");
    private static final Pattern SDIST = Pattern.compile("(.+)-([^-]+)\\.(?:tar\\.gz|zip)");
    /** Loose PEP 440: the characters a version may contain, starting with a digit or epoch. */
    private static final Pattern VERSION = Pattern.compile("[0-9][0-9A-Za-z.!+_]*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_.]+");

    public static boolean looksLikeDistribution(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return lower.endsWith(".whl") || lower.endsWith(".tar.gz") || lower.endsWith(".zip");
    }

    public static DistributionName parse(String fileName) throws PublishException {
        if (fileName.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f || c == '/' || c == '\\' || c == '#' || c == '?'
                || c == '%' || c == '"' || c == '<' || c == '>' || c == '&')) {
            throw new PublishException(fileName + ": not a valid wheel or sdist name (characters outside the"
                    + " ones a distribution file name uses)");
        }
        Matcher wheel = WHEEL.matcher(fileName);
        if (wheel.matches()) {
            for (int tag = 4; tag <= 6; tag++) {
                if (!TAG.matcher(wheel.group(tag)).matches()) {
                    throw invalid(fileName, "wheel tag '" + wheel.group(tag) + "' is not valid");
                }
            }
            return of(fileName, wheel.group(1), wheel.group(2), true);
        }
        if (fileName.endsWith(".whl")) {
            throw invalid(fileName, "a wheel is named name-version(-build)-python-abi-platform.whl");
        }
        Matcher sdist = SDIST.matcher(fileName);
        if (sdist.matches()) {
            return of(fileName, sdist.group(1), sdist.group(2), false);
        }
        throw invalid(fileName, "expected name-version-python-abi-platform.whl or name-version.tar.gz");
    }

    private static DistributionName of(String fileName, String name, String version, boolean wheel)
            throws PublishException {
        if (!ProjectName.isValid(name)) {
            throw invalid(fileName, "'" + name + "' is not a valid project name (PEP 508)");
        }
        if (!VERSION.matcher(version).matches()) {
            throw invalid(fileName, "'" + version + "' is not a valid version (PEP 440)");
        }
        String project = ProjectName.normalize(name);
        String clashKey = project + fileName.substring(name.length()).toLowerCase(Locale.ROOT);
        return new DistributionName(fileName, project, version, wheel, clashKey);
    }

    private static PublishException invalid(String fileName, String why) {
        return new PublishException(fileName + ": not a valid wheel or sdist name: " + why);
    }
}
