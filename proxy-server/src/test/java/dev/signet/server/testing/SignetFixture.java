package dev.signet.server.testing;

import dev.signet.events.SignetListener;
import dev.signet.server.SignetServer;
import dev.signet.server.config.ConfigLoader;
import dev.signet.server.demo.ArtifactSigner;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.StaticIndex;
import dev.signet.server.demo.StaticIndexServer;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.sig.MinisignKeyPair;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real signed upstream index on loopback and a real Signet in front of it, configured through the same
 * {@link ConfigLoader} as {@code signet serve}. Restartable on the same cache directory.
 */
public final class SignetFixture implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final Path dir;
    private final StaticIndex index;
    private final StaticIndexServer upstream;
    private final String trustedKey;
    private final Map<String, Object> settings;
    private final InstantSource clock;
    private JsonIndexServer json;
    private SignetServer signet;

    /**
     * How the upstream is built: with PEP 658 metadata files (each with its own signature), and whether Signet talks to
     * a JSON-only upstream ({@link JsonIndexServer}, whose file URLs point at the static server) instead of the static
     * HTML one; {@code yankReasons} (file name to reason) apply to JSON pages.
     */
    public record Options(boolean withMetadata, boolean jsonUpstream, Map<String, String> yankReasons) {
        public static final Options HTML = new Options(false, false, Map.of());
        public static final Options JSON = new Options(false, true, Map.of());
    }

    private SignetFixture(Path dir, StaticIndex index, StaticIndexServer upstream, String trustedKey,
                          Map<String, Object> settings, InstantSource clock) {
        this.dir = dir;
        this.index = index;
        this.upstream = upstream;
        this.trustedKey = trustedKey;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Builds the index from {@code wheels} signed by {@code signer}, serves it, and starts Signet trusting
     * {@code trustedKey}. {@code extraSettings} are config keys as for {@code --set}.
     */
    public static SignetFixture start(Path dir, List<WheelBuilder> wheels, ArtifactSigner signer, String trustedKey,
                                      Map<String, Object> extraSettings) throws Exception {
        return start(dir, wheels, signer, trustedKey, extraSettings, Options.HTML, InstantSource.system());
    }

    /** As above, the index signed with {@code key}'s secret key by Signet's own minisign code, Signet trusting its public key. */
    public static SignetFixture start(Path dir, List<WheelBuilder> wheels, MinisignKeyPair key,
                                      Map<String, Object> extraSettings) throws Exception {
        return start(dir, wheels, new MinisignArtifactSigner(key.secretKey()), key.publicKey().encoded(), extraSettings);
    }

    /** As above, with the clock Signet reads (for freshness tests). */
    public static SignetFixture start(Path dir, List<WheelBuilder> wheels, ArtifactSigner signer, String trustedKey,
                                      Map<String, Object> extraSettings, InstantSource clock) throws Exception {
        return start(dir, wheels, signer, trustedKey, extraSettings, Options.HTML, clock);
    }

    /** As above, with an upstream built as {@code options} say. */
    public static SignetFixture start(Path dir, List<WheelBuilder> wheels, ArtifactSigner signer, String trustedKey,
                                      Map<String, Object> extraSettings, Options options) throws Exception {
        return start(dir, wheels, signer, trustedKey, extraSettings, options, InstantSource.system());
    }

    public static SignetFixture start(Path dir, List<WheelBuilder> wheels, ArtifactSigner signer, String trustedKey,
                                      Map<String, Object> extraSettings, Options options, InstantSource clock)
            throws Exception {
        StaticIndex index = StaticIndex.build(dir.resolve("index"), wheels, signer, options.withMetadata());
        StaticIndexServer upstream = StaticIndexServer.start(index.root(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        SignetFixture fixture = new SignetFixture(dir, index, upstream, trustedKey, new LinkedHashMap<>(extraSettings), clock);
        try {
            if (options.jsonUpstream()) {
                fixture.json = JsonIndexServer.start(index.root(), upstream.baseUri(), options.yankReasons());
            }
            fixture.startSignet();
        } catch (Exception e) {
            fixture.close();
            throw e;
        }
        return fixture;
    }

    /** The JSON upstream, when the fixture was started with one. */
    public JsonIndexServer json() {
        return json;
    }

    private void startSignet() throws Exception {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("listen", "127.0.0.1:0");
        s.put("admin-listen", "127.0.0.1:0");
        s.put("upstream", (json != null ? json.simpleUri() : upstream.simpleUri()).toString());
        s.put("trusted-keys", List.of(trustedKey));
        s.put("cache-dir", cacheDir().toString());
        s.putAll(settings);
        signet = SignetServer.start(ConfigLoader.load(null, Map.of(), s), SignetListener.NONE, clock);
    }

    /** Restarts on the same cache directory with some settings changed (e.g. {@code offline}). */
    public void restart(Map<String, Object> changedSettings) throws Exception {
        settings.putAll(changedSettings);
        restart();
    }

    /** Stops Signet and starts a new one on the same cache directory, as after a process restart. */
    public void restart() throws Exception {
        restart(() -> { });
    }

    /** Something done to the cache directory while no Signet has it open. */
    public interface WhileStopped {
        void run() throws Exception;
    }

    /** Stops Signet, runs {@code whileStopped} (e.g. tampers with the cache), and starts a new one on the same cache. */
    public void restart(WhileStopped whileStopped) throws Exception {
        signet.close();
        whileStopped.run();
        startSignet();
    }

    public StaticIndex index() {
        return index;
    }

    public StaticIndexServer upstream() {
        return upstream;
    }

    public SignetServer signet() {
        return signet;
    }

    public String simpleUrl() {
        return signet.simpleUrl();
    }

    public Path dir() {
        return dir;
    }

    public Path cacheDir() {
        return dir.resolve("cache");
    }

    /** The cached data file of an artifact (whether or not it exists). */
    public Path cachedFile(String project, String filename) {
        return cacheDir().resolve("artifacts").resolve(project).resolve(filename);
    }

    /** The bytes the upstream publishes for {@code filename}. */
    public byte[] upstreamBytes(String filename) throws IOException {
        return Files.readAllBytes(index.root().resolve("packages").resolve(filename));
    }

    /** Every artifact, sidecar and temp file in the cache, for "nothing was cached" checks. */
    public List<Path> cacheFiles() throws IOException {
        List<Path> all = new java.util.ArrayList<>();
        for (String sub : List.of("artifacts", "tmp")) {
            Path d = cacheDir().resolve(sub);
            if (Files.exists(d)) {
                try (Stream<Path> files = Files.walk(d)) {
                    files.filter(Files::isRegularFile).forEach(all::add);
                }
            }
        }
        return all;
    }

    public HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        return send("GET", path, headers);
    }

    public HttpResponse<byte[]> head(String path, String... headers) throws IOException, InterruptedException {
        return send("HEAD", path, headers);
    }

    private HttpResponse<byte[]> send(String method, String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + signet.address().getPort() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        awaitFills();
        return response;
    }

    /**
     * Waits until no fill is in progress. A fill's clients are answered before its commit has ended (docs/cache-
     * integrity.md), so a test that looks at the cache, the memory tier or the counters right after an answer waits
     * for the commit that answer's fill still runs; {@link #get} and {@link #head} do this themselves.
     */
    public void awaitFills() {
        awaitFills(signet);
    }

    /** {@link #awaitFills()} for a server a test started itself. */
    public static void awaitFills(SignetServer server) {
        Eventually.await("no fill in progress (the commits of answered fills have ended)", Duration.ofSeconds(60),
                () -> server.artifacts().fillsInProgress() == 0);
    }

    @Override
    public void close() {
        if (signet != null) {
            signet.close();
        }
        if (json != null) {
            json.close();
        }
        upstream.close();
    }
}
