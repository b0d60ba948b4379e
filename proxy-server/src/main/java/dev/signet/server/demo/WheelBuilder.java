package dev.signet.server.demo;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds a pure-Python, pip-installable wheel: one importable module carrying {@code __version__}, an optional
 * incompressible padding file to make artifacts of a chosen size, and a dist-info directory whose RECORD hashes every
 * file. Every entry is STORED, and the padding is generated twice from its seed (hash pass, write pass) so that a
 * 1 GiB wheel streams to disk through one 64 KiB buffer.
 */
public final class WheelBuilder {
    private static final int BUFFER = 64 * 1024;
    /** A fixed entry time makes the same builder produce byte-identical wheels, hence stable sha256 values. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2024, 1, 1, 0, 0);
    private static final Pattern VERSION_SPECIFIERS = Pattern.compile(
            "(?:~=|===|==|!=|<=|>=|<|>)\\s*[A-Za-z0-9.*+!]+(?:\\s*,\\s*(?:~=|===|==|!=|<=|>=|<|>)\\s*[A-Za-z0-9.*+!]+)*");

    private final String name;
    private final String version;
    private final List<String> requirements = new ArrayList<>();
    private String requiresPython;
    private long paddingBytes;
    private long paddingSeed;

    private WheelBuilder(String name, String version) {
        this.name = PackageNames.requireName(name);
        this.version = PackageNames.requireCanonicalVersion(version);
        // Fail at construction, not at write time, when the name cannot become an importable module.
        PackageNames.moduleName(name);
    }

    public static WheelBuilder wheel(String name, String version) {
        return new WheelBuilder(name, version);
    }

    /** Adds PEP 508 requirements, written as {@code Requires-Dist} lines in order. */
    public WheelBuilder requires(String... reqs) {
        Objects.requireNonNull(reqs, "reqs");
        for (String requirement : reqs) {
            requirements.add(requireRequirement(requirement));
        }
        return this;
    }

    /** Sets {@code Requires-Python}, e.g. {@code ">=3.8"}; it also becomes the index link's data-requires-python. */
    public WheelBuilder requiresPython(String spec) {
        if (spec == null || !VERSION_SPECIFIERS.matcher(spec).matches()) {
            throw new IllegalArgumentException("invalid Requires-Python specifier: " + PackageNames.quote(spec));
        }
        this.requiresPython = spec;
        return this;
    }

    /** Adds a padding file of exactly {@code bytes} random bytes derived from {@code seed}; 0 means no padding. */
    public WheelBuilder padding(long bytes, long seed) {
        if (bytes < 0) {
            throw new IllegalArgumentException("padding size must not be negative: " + bytes);
        }
        this.paddingBytes = bytes;
        this.paddingSeed = seed;
        return this;
    }

    /** {@code {distribution}-{version}-py3-none-any.whl} with the distribution name escaped per the wheel spec. */
    public String fileName() {
        return distInfoStem() + "-py3-none-any.whl";
    }

    /** The dist-info METADATA bytes, which are also the PEP 658 {@code .metadata} sidecar. */
    public byte[] metadata() {
        StringBuilder text = new StringBuilder()
                .append("Metadata-Version: 2.1\n")
                .append("Name: ").append(name).append('\n')
                .append("Version: ").append(version).append('\n');
        if (requiresPython != null) {
            text.append("Requires-Python: ").append(requiresPython).append('\n');
        }
        for (String requirement : requirements) {
            text.append("Requires-Dist: ").append(requirement).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes the wheel into {@code dir} (created if needed) under {@link #fileName()} and returns its path. The file
     * appears atomically, so a server reading the directory never sees a half-written wheel.
     */
    public Path writeTo(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Files.createDirectories(dir);
        Path target = dir.resolve(fileName());
        Path temp = Files.createTempFile(dir, ".wheel-", ".part");
        try {
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(temp), BUFFER);
                 ZipOutputStream zip = new ZipOutputStream(file, StandardCharsets.UTF_8)) {
                writeEntries(zip);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return target;
    }

    String name() {
        return name;
    }

    String version() {
        return version;
    }

    Optional<String> requiresPythonSpec() {
        return Optional.ofNullable(requiresPython);
    }

    String moduleDirectory() {
        return PackageNames.moduleName(name);
    }

    String paddingEntryName() {
        return moduleDirectory() + "/_padding.bin";
    }

    String distInfoDirectory() {
        return distInfoStem() + ".dist-info";
    }

    private String distInfoStem() {
        return PackageNames.wheelEscape(name) + "-" + version;
    }

    private void writeEntries(ZipOutputStream zip) throws IOException {
        StringBuilder record = new StringBuilder();
        writeSmall(zip, record, moduleDirectory() + "/__init__.py", initModule());
        if (paddingBytes > 0) {
            writePadding(zip, record);
        }
        writeSmall(zip, record, distInfoDirectory() + "/METADATA", metadata());
        writeSmall(zip, record, distInfoDirectory() + "/WHEEL", wheelFile());
        String recordName = distInfoDirectory() + "/RECORD";
        // RECORD cannot contain its own hash; the spec says to list it with empty hash and size.
        record.append(recordName).append(",,\n");
        writeStored(zip, recordName, record.toString().getBytes(StandardCharsets.UTF_8));
    }

    private byte[] initModule() {
        return ("\"\"\"Demo distribution " + name + ", generated for the Signet demo index.\"\"\"\n"
                + "__version__ = \"" + version + "\"\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] wheelFile() {
        return ("Wheel-Version: 1.0\n"
                + "Generator: signet-demo WheelBuilder\n"
                + "Root-Is-Purelib: true\n"
                + "Tag: py3-none-any\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void writeSmall(ZipOutputStream zip, StringBuilder record, String entryName, byte[] content)
            throws IOException {
        writeStored(zip, entryName, content);
        appendRecord(record, entryName, Digests.sha256(content), content.length);
    }

    private static void writeStored(ZipOutputStream zip, String entryName, byte[] content) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(content);
        zip.putNextEntry(storedEntry(entryName, content.length, crc.getValue()));
        zip.write(content);
        zip.closeEntry();
    }

    /** STORED entries need size and CRC before the data, so a first pass computes them and the SHA-256. */
    private void writePadding(ZipOutputStream zip, StringBuilder record) throws IOException {
        byte[] buffer = new byte[BUFFER];
        CRC32 crc = new CRC32();
        MessageDigest sha256 = Digests.sha256();
        PaddingSource hashPass = new PaddingSource(paddingBytes, paddingSeed);
        for (int n = hashPass.next(buffer); n >= 0; n = hashPass.next(buffer)) {
            crc.update(buffer, 0, n);
            sha256.update(buffer, 0, n);
        }
        zip.putNextEntry(storedEntry(paddingEntryName(), paddingBytes, crc.getValue()));
        PaddingSource writePass = new PaddingSource(paddingBytes, paddingSeed);
        for (int n = writePass.next(buffer); n >= 0; n = writePass.next(buffer)) {
            zip.write(buffer, 0, n);
        }
        zip.closeEntry();
        appendRecord(record, paddingEntryName(), sha256.digest(), paddingBytes);
    }

    private static ZipEntry storedEntry(String entryName, long size, long crc) {
        ZipEntry entry = new ZipEntry(entryName);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(size);
        entry.setCompressedSize(size);
        entry.setCrc(crc);
        entry.setTimeLocal(ENTRY_TIME);
        return entry;
    }

    private static void appendRecord(StringBuilder record, String entryName, byte[] sha256, long size) {
        record.append(entryName).append(',').append(Digests.recordHash(sha256)).append(',').append(size).append('\n');
    }

    private static String requireRequirement(String requirement) {
        if (requirement == null || requirement.isEmpty()) {
            throw new IllegalArgumentException("empty requirement");
        }
        for (int i = 0; i < requirement.length(); i++) {
            char c = requirement.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("requirement contains a control or non-ASCII character: "
                        + PackageNames.quote(requirement.replaceAll("[^\\x20-\\x7e]", "?")));
            }
        }
        if (!PackageNames.startsWithName(requirement) || requirement.endsWith(" ")) {
            throw new IllegalArgumentException("requirement must start with a distribution name and not end with"
                    + " a space (PEP 508): " + PackageNames.quote(requirement));
        }
        return requirement;
    }
}
