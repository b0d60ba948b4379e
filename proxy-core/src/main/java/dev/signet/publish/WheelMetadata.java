package dev.signet.publish;

import dev.signet.index.ProjectName;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The core metadata of a wheel ({@code *.dist-info/METADATA}), which is also its PEP 658 {@code .metadata} file.
 * METADATA is RFC 822-style headers then an optional body; only {@code Name}, {@code Version} and
 * {@code Requires-Python} are read, and {@code Name} must be the project the file name says.
 *
 * @param bytes          the METADATA file, byte for byte (PEP 658 requires the exact file)
 * @param requiresPython the {@code Requires-Python} specifier, if the wheel declares one
 */
public record WheelMetadata(byte[] bytes, Optional<String> requiresPython) {

    /** Far above any real METADATA (the largest on PyPI are a few hundred KiB of long descriptions). */
    static final long MAX_METADATA_BYTES = 16L * 1024 * 1024;

    public static WheelMetadata read(Path wheel, DistributionName name) throws PublishException {
        String file = name.fileName();
        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            ZipEntry entry = metadataEntry(zip, file);
            if (entry.getSize() > MAX_METADATA_BYTES) {
                throw new PublishException(file + ": broken wheel metadata: " + entry.getName() + " is "
                        + entry.getSize() + " bytes");
            }
            byte[] bytes;
            try (InputStream in = zip.getInputStream(entry)) {
                bytes = in.readNBytes((int) MAX_METADATA_BYTES + 1);
            }
            if (bytes.length > MAX_METADATA_BYTES) {
                throw new PublishException(file + ": broken wheel metadata: " + entry.getName() + " is too large");
            }
            return parse(bytes, name, entry.getName());
        } catch (ZipException e) {
            throw new PublishException(file + ": not a readable wheel (zip): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new PublishException(file + ": cannot read wheel: " + e.getMessage(), e);
        }
    }

    private static ZipEntry metadataEntry(ZipFile zip, String file) throws PublishException {
        List<ZipEntry> found = new ArrayList<>();
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            ZipEntry entry = entries.nextElement();
            String entryName = entry.getName();
            int slash = entryName.indexOf('/');
            if (slash > 0 && entryName.substring(0, slash).endsWith(".dist-info")
                    && entryName.substring(slash + 1).equals("METADATA")) {
                found.add(entry);
            }
        }
        if (found.isEmpty()) {
            throw new PublishException(file + ": wheel has no metadata (no *.dist-info/METADATA)");
        }
        if (found.size() > 1) {
            throw new PublishException(file + ": broken wheel metadata: " + found.size()
                    + " *.dist-info/METADATA files");
        }
        return found.get(0);
    }

    static WheelMetadata parse(byte[] bytes, DistributionName name, String entryName) throws PublishException {
        String file = name.fileName();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new PublishException(file + ": broken wheel metadata: " + entryName + " is not UTF-8");
        }
        String metadataName = null;
        String metadataVersion = null;
        String requiresPython = null;
        for (String line : text.split("\r?\n", -1)) {
            if (line.isEmpty()) {
                break; // the headers end at the first empty line; the description body follows
            }
            if (line.startsWith(" ") || line.startsWith("\t")) {
                continue; // continuation of a folded header none of ours uses
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new PublishException(file + ": broken wheel metadata: " + entryName
                        + " has a header line without ':': " + abbreviate(line));
            }
            String header = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            switch (header) {
                case "name" -> metadataName = value;
                case "version" -> metadataVersion = value;
                case "requires-python" -> requiresPython = value.isEmpty() ? null : value;
                default -> { }
            }
        }
        if (metadataName == null || metadataVersion == null) {
            throw new PublishException(file + ": broken wheel metadata: " + entryName + " has no "
                    + (metadataName == null ? "Name" : "Version") + " header");
        }
        if (!ProjectName.isValid(metadataName) || !ProjectName.normalize(metadataName).equals(name.project())) {
            throw new PublishException(file + ": broken wheel metadata: Name '" + abbreviate(metadataName)
                    + "' is not the project the file name says (" + name.project() + ")");
        }
        return new WheelMetadata(bytes, Optional.ofNullable(requiresPython));
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
