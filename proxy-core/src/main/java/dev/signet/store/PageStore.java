package dev.signet.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream index pages on disk, {@code <root>/pages/<key>.page}, written atomically (temp file in the store's
 * {@code tmp/}, fsync, rename). A page that cannot be read is simply dropped (fetched again); a signed page keeps its
 * signature and is verified again by its reader. Blocking; called from worker threads.
 */
public final class PageStore {

    private static final Logger log = LoggerFactory.getLogger(PageStore.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Pattern KEY = Pattern.compile("_root|[a-z0-9]([a-z0-9-]{0,200}[a-z0-9])?");
    private static final String SUFFIX = ".page";

    private final Path dir;
    private final Path tmp;

    private PageStore(Path dir, Path tmp) {
        this.dir = dir;
        this.tmp = tmp;
    }

    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    /**
     * The pages of one upstream, {@code <root>/pages/<namespace>/}, next to the artifacts of {@code store} and sharing
     * its temp directory (emptied when the store opens).
     */
    public static PageStore of(ArtifactStore store, String namespace) throws IOException {
        if (!NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("not a page namespace: " + namespace);
        }
        Path root = store.root();
        OwnerOnly.ensureDirectory(root.resolve("pages"));
        return new PageStore(OwnerOnly.ensureDirectory(root.resolve("pages").resolve(namespace)),
                OwnerOnly.ensureDirectory(root.resolve(StoreLayout.TMP_DIR)));
    }

    /** The key of the project list. */
    public static final String ROOT_KEY = "_root";

    public Optional<StoredPage> read(String key) {
        Path file = file(key);
        try {
            JsonNode node = JSON.readTree(Files.readAllBytes(file));
            return Optional.of(new StoredPage(
                    node.get("url").asText(),
                    node.path("contentType").asText(""),
                    node.hasNonNull("etag") ? node.get("etag").asText() : null,
                    node.hasNonNull("lastModified") ? node.get("lastModified").asText() : null,
                    node.get("fetchedAtMillis").asLong(),
                    Base64.getDecoder().decode(node.get("body").asText()),
                    node.hasNonNull("signature") ? Base64.getDecoder().decode(node.get("signature").asText()) : null));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            log.warn("dropping unreadable cached page {}: {}", file, e.toString());
            remove(key);
            return Optional.empty();
        }
    }

    public void write(String key, StoredPage page) throws IOException {
        ObjectNode node = JSON.createObjectNode()
                .put("url", page.url())
                .put("contentType", page.contentType())
                .put("etag", page.etag())
                .put("lastModified", page.lastModified())
                .put("fetchedAtMillis", page.fetchedAtMillis())
                .put("body", Base64.getEncoder().encodeToString(page.body()));
        byte[] signature = page.signature();
        if (signature != null) {
            node.put("signature", Base64.getEncoder().encodeToString(signature));
        }
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IOException("cannot encode page " + key, e);
        }
        Path temp = Files.createTempFile(tmp, "page-", ".tmp");
        try {
            Durability.writeAndSync(temp, bytes);
            Durability.atomicMove(temp, file(key));
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    public void remove(String key) {
        try {
            Files.deleteIfExists(file(key));
        } catch (IOException e) {
            log.warn("cannot remove cached page {}: {}", key, e.toString());
        }
    }

    public void removeAll() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.getFileName().toString().endsWith(SUFFIX)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private Path file(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not a page key: " + key);
        }
        return dir.resolve(key + SUFFIX);
    }
}
