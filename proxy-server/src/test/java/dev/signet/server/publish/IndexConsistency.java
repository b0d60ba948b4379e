package dev.signet.server.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.sig.ArtifactVerification;
import dev.signet.sig.FileNamePolicy;
import dev.signet.sig.Keyring;
import dev.signet.sig.MinisignPublicKey;
import dev.signet.sig.TrustedKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What "a consistent, servable index" means, checked as an edge would: every page's signature verifies over its page
 * and names its project; every file a page lists exists with the listed size and sha256 and a signature that
 * verifies with its name bound; the same for its {@code .metadata}; every project the project list links has a page.
 * (A page may exist before the list links it: the list is switched after the pages, so that it never links a page
 * that is not there yet.)
 */
final class IndexConsistency {
    private static final ObjectMapper JSON = new ObjectMapper();

    private IndexConsistency() {
    }

    /** Checks the index and returns every file name its pages list. */
    static Set<String> check(Path root, MinisignPublicKey key) throws Exception {
        Keyring keyring = new Keyring(List.of(TrustedKey.of(key)), Set.of(), FileNamePolicy.REQUIRE);
        Set<String> listed = new TreeSet<>();
        String projectList = Files.readString(root.resolve("simple/index.html"));
        List<Path> pages;
        try (Stream<Path> dirs = Files.list(root.resolve("simple"))) {
            pages = dirs.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith("."))
                    .map(dir -> dir.resolve("index.json")).sorted().toList();
        }
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("<a href=\"([^\"/]+)/\">").matcher(projectList);
        while (link.find()) {
            assertThat(root.resolve("simple").resolve(link.group(1)).resolve("index.json"))
                    .as("page of listed project " + link.group(1)).exists();
        }
        for (Path page : pages) {
            String project = page.getParent().getFileName().toString();
            assertThat(page).as("page of " + project).exists();
            verify(keyring, project, "index.json", page);
            JsonNode json = JSON.readTree(page.toFile());
            assertThat(json.get("name").asText()).isEqualTo(project);
            for (JsonNode file : json.get("files")) {
                String name = file.get("filename").asText();
                Path published = root.resolve("packages").resolve(name);
                assertThat(Files.size(published)).as(name).isEqualTo(file.get("size").asLong());
                assertThat(sha256(published)).as(name).isEqualTo(file.at("/hashes/sha256").asText());
                verify(keyring, project, name, published);
                if (file.get("core-metadata").isObject()) {
                    Path metadata = root.resolve("packages").resolve(name + ".metadata");
                    assertThat(sha256(metadata)).isEqualTo(file.at("/core-metadata/sha256").asText());
                    verify(keyring, project, name + ".metadata", metadata);
                }
                listed.add(name);
            }
        }
        return listed;
    }

    /** Whether the project list links exactly the projects that have pages (true after every completed run). */
    static boolean listsEveryPage(Path root) throws IOException {
        String projectList = Files.readString(root.resolve("simple/index.html"));
        try (Stream<Path> dirs = Files.list(root.resolve("simple"))) {
            List<Path> pages = dirs.filter(Files::isDirectory)
                    .filter(d -> !d.getFileName().toString().startsWith(".")).toList();
            long links = projectList.lines().filter(line -> line.contains("<a href=")).count();
            return links == pages.size() && pages.stream()
                    .allMatch(dir -> projectList.contains("<a href=\"" + dir.getFileName() + "/\">"));
        }
    }

    private static void verify(Keyring keyring, String project, String fileName, Path file) throws Exception {
        byte[] signature = Files.readAllBytes(file.resolveSibling(file.getFileName() + ".minisig"));
        ArtifactVerification verification = keyring.begin(project, fileName, signature);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                verification.update(buffer, 0, n);
            }
        }
        verification.finish();
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
