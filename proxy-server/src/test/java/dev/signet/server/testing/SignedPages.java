package dev.signet.server.testing;

import dev.signet.publish.KeySigner;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.pages.PageComment;
import dev.signet.server.demo.StaticIndex;
import dev.signet.sig.MinisignSecretKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

/**
 * Writes signed project pages (docs/signed-index.md) next to a {@link StaticIndex}: {@code simple/<p>/index.json} and
 * its {@code index.json.minisig}, listing the given files. Tests keep the returned {@link Signed} pages to replay them.
 */
public final class SignedPages {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A page and its signature, as served. */
    public record Signed(String project, byte[] page, byte[] signature) {}

    private SignedPages() {
    }

    /** The JSON page of {@code project} listing {@code files} (names in {@code index}), signed with {@code key}. */
    public static Signed sign(StaticIndex index, String project, List<String> files, long serial, Instant expires,
                              MinisignSecretKey key) throws IOException {
        return signBytes(project, page(index, project, files, ""), serial, expires, key);
    }

    /** As {@link #sign}, with {@code extra} appended to the page's JSON (other bytes, same listing). */
    public static Signed sign(StaticIndex index, String project, List<String> files, long serial, Instant expires,
                              MinisignSecretKey key, String extra) throws IOException {
        return signBytes(project, page(index, project, files, extra), serial, expires, key);
    }

    private static Signed signBytes(String project, byte[] page, long serial, Instant expires, MinisignSecretKey key) {
        byte[] signature = new KeySigner(key, null).sign(page, new PageComment(project, serial, expires.getEpochSecond()).render(Instant.now().getEpochSecond()));
        return new Signed(project, page, signature);
    }

    /** Publishes {@code signed} in the static index's tree (what its server then serves). */
    public static void publish(StaticIndex index, Signed signed) throws IOException {
        Path dir = Files.createDirectories(index.root().resolve("simple").resolve(signed.project()));
        Files.write(dir.resolve("index.json"), signed.page());
        Files.write(dir.resolve("index.json.minisig"), signed.signature());
    }

    private static byte[] page(StaticIndex index, String project, List<String> files, String extra) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("meta").put("api-version", "1.1");
        root.put("name", project);
        ArrayNode list = root.putArray("files");
        TreeSet<String> versions = new TreeSet<>();
        for (String file : files) {
            ObjectNode entry = list.addObject();
            entry.put("filename", file);
            entry.put("url", "../../packages/" + file);
            entry.putObject("hashes").put("sha256", index.sha256(file));
            entry.put("size", Files.size(index.root().resolve("packages").resolve(file)));
            versions.add(file.split("-")[1]);
        }
        ArrayNode v = root.putArray("versions");
        versions.forEach(v::add);
        if (!extra.isEmpty()) {
            root.put("comment", extra);
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }
}
