package dev.signet.server.demo;

import dev.signet.index.DistributionFile;
import dev.signet.publish.IndexPublisher;
import dev.signet.publish.PublishException;
import dev.signet.publish.PublishOptions;
import dev.signet.publish.PublishProgress;
import dev.signet.publish.PublishRequest;
import dev.signet.publish.PublishResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A signed static index on disk of generated wheels, written by the one index writer ({@link IndexPublisher}):
 * {@code simple/index.html}, {@code simple/<project>/index.html} and {@code index.json}, {@code packages/<file>}
 * with {@code packages/<file>.minisig}, and, when asked for, PEP 658 files {@code packages/<file>.metadata} with
 * their own {@code .metadata.minisig}. Pages are not signed (this is an index of the kind that predates signed pages).
 */
public final class StaticIndex {
    private static final String STAGING = ".staging";

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
        List<String> wheelFileNames = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (WheelBuilder wheel : wheels) {
            Objects.requireNonNull(wheel, "wheels contains null");
            if (!seen.add(wheel.fileName())) {
                throw new IllegalArgumentException("duplicate wheel file in index: " + wheel.fileName());
            }
            wheelFileNames.add(wheel.fileName());
        }
        Path staging = Files.createDirectories(root.resolve(STAGING));
        PublishResult result;
        try {
            List<Path> files = new ArrayList<>();
            for (WheelBuilder wheel : wheels) {
                files.add(wheel.writeTo(staging));
            }
            PublishOptions options = new PublishOptions(signer, Optional.empty(), withMetadata,
                    PublishOptions.DEFAULT_EXPIRES, Runtime.getRuntime().availableProcessors(),
                    InstantSource.system(), PublishProgress.NONE)
                    // The staged wheels are this build's own and deleted below: linking them cannot alias anything.
                    .withLinkInputs(true);
            result = new IndexPublisher(root, options).publish(PublishRequest.add(files));
        } catch (PublishException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } finally {
            deleteTree(staging);
        }
        Map<String, String> sha256ByFileName = new LinkedHashMap<>();
        for (DistributionFile file : result.added()) {
            sha256ByFileName.put(file.filename(), file.sha256().orElseThrow());
            if (file.coreMetadata() != null) {
                sha256ByFileName.put(file.filename() + ".metadata", file.coreMetadata().hashes().get("sha256"));
            }
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

    /** The hex SHA-256 of a published wheel or {@code .metadata} file, as written in the index links. */
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

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
