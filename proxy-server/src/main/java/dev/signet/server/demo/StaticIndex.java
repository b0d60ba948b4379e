package dev.signet.server.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A signed PEP 503 static index on disk: {@code simple/index.html}, {@code simple/<project>/index.html},
 * {@code packages/<file>} with {@code packages/<file>.minisig}, and, when asked for, PEP 658 sidecars
 * {@code packages/<file>.metadata} with their own {@code .metadata.minisig}.
 */
public final class StaticIndex {
    static final String SIGNATURE_SUFFIX = ".minisig";
    static final String METADATA_SUFFIX = ".metadata";

    private final Path root;
    private final List<String> wheelFileNames;
    private final Map<String, String> sha256ByFileName;

    private StaticIndex(Path root, List<String> wheelFileNames, Map<String, String> sha256ByFileName) {
        this.root = root;
        this.wheelFileNames = List.copyOf(wheelFileNames);
        this.sha256ByFileName = Map.copyOf(sha256ByFileName);
    }

    /**
     * Writes every wheel, signs every published file, and renders the pages. {@code root} must be absent or empty,
     * because stale files from an earlier build would be served as if they belonged to this one.
     */
    public static StaticIndex build(Path root, List<WheelBuilder> wheels, ArtifactSigner signer, boolean withMetadata)
            throws IOException {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(wheels, "wheels");
        Objects.requireNonNull(signer, "signer");
        if (wheels.isEmpty()) {
            throw new IllegalArgumentException("a static index needs at least one wheel");
        }
        requireAbsentOrEmpty(root);
        Path packages = Files.createDirectories(root.resolve("packages"));
        Path simple = Files.createDirectories(root.resolve("simple"));

        List<String> wheelFileNames = new ArrayList<>();
        Map<String, String> sha256ByFileName = new LinkedHashMap<>();
        Map<String, List<IndexPages.Link>> linksByProject = new TreeMap<>();
        for (WheelBuilder wheel : wheels) {
            Objects.requireNonNull(wheel, "wheels contains null");
            String fileName = wheel.fileName();
            if (sha256ByFileName.containsKey(fileName)) {
                throw new IllegalArgumentException("duplicate wheel file in index: " + fileName);
            }
            Path written = wheel.writeTo(packages);
            String sha256 = Digests.hex(Digests.sha256(written));
            writeSignature(signer, written, fileName);
            wheelFileNames.add(fileName);
            sha256ByFileName.put(fileName, sha256);

            Optional<String> metadataSha256 = Optional.empty();
            if (withMetadata) {
                String metadataName = fileName + METADATA_SUFFIX;
                byte[] metadata = wheel.metadata();
                Path metadataFile = Files.write(packages.resolve(metadataName), metadata);
                writeSignature(signer, metadataFile, metadataName);
                metadataSha256 = Optional.of(Digests.hex(Digests.sha256(metadata)));
                sha256ByFileName.put(metadataName, metadataSha256.get());
            }
            linksByProject.computeIfAbsent(PackageNames.normalize(wheel.name()), project -> new ArrayList<>())
                    .add(new IndexPages.Link(fileName, sha256, wheel.requiresPythonSpec(), metadataSha256));
        }

        writePage(simple.resolve("index.html"), IndexPages.rootPage(linksByProject.keySet()));
        for (Map.Entry<String, List<IndexPages.Link>> project : linksByProject.entrySet()) {
            Path projectDir = Files.createDirectories(simple.resolve(project.getKey()));
            writePage(projectDir.resolve("index.html"), IndexPages.projectPage(project.getKey(), project.getValue()));
        }
        return new StaticIndex(root, wheelFileNames, sha256ByFileName);
    }

    public Path root() {
        return root;
    }

    /** The wheel file names in the order the wheels were given. */
    public List<String> fileNames() {
        return wheelFileNames;
    }

    /** The hex SHA-256 of a published wheel or {@code .metadata} sidecar, as written in the index links. */
    public String sha256(String fileName) {
        String sha256 = sha256ByFileName.get(fileName);
        if (sha256 == null) {
            throw new IllegalArgumentException("no file named " + PackageNames.quote(fileName) + " in this index");
        }
        return sha256;
    }

    private static void requireAbsentOrEmpty(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("index root is not a directory: " + root);
        }
        try (Stream<Path> entries = Files.list(root)) {
            if (entries.findAny().isPresent()) {
                throw new IllegalArgumentException("index root is not empty: " + root);
            }
        }
    }

    private static void writeSignature(ArtifactSigner signer, Path file, String fileName) throws IOException {
        byte[] signature = signer.sign(file, fileName);
        if (signature == null || signature.length == 0) {
            throw new IOException("signer returned no signature for " + fileName);
        }
        Files.write(file.resolveSibling(fileName + SIGNATURE_SUFFIX), signature);
    }

    private static void writePage(Path file, String html) throws IOException {
        Files.writeString(file, html, StandardCharsets.UTF_8);
    }
}
