package dev.signet.server.testing;

import dev.signet.events.SignetListener;
import dev.signet.server.SignetServer;
import dev.signet.server.config.ConfigLoader;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.StaticIndex;
import dev.signet.server.demo.StaticIndexServer;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.sig.MinisignKeyPair;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A fleet on loopback: one real signed upstream index, one real S3 server (s3proxy) with a bucket, and edges (real
 * Signets in this JVM, each with its own cache directory) that share the bucket as their store, found through the AWS
 * default credentials chain like in production.
 */
public final class Fleet implements AutoCloseable {

    public static final String BUCKET = "signet-fleet";
    public static final String PREFIX = "edges/";

    private final Path dir;
    private final MinisignKeyPair key;
    private final StaticIndex index;
    private final StaticIndexServer upstream;
    private final S3Server s3;
    private final S3Client client;
    private final List<SignetServer> edges = new ArrayList<>();

    private Fleet(Path dir, MinisignKeyPair key, StaticIndex index, StaticIndexServer upstream, S3Server s3) {
        this.dir = dir;
        this.key = key;
        this.index = index;
        this.upstream = upstream;
        this.s3 = s3;
        this.client = s3.client();
    }

    public static Fleet start(Path dir, List<WheelBuilder> wheels) throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        StaticIndex index = StaticIndex.build(dir.resolve("index"), wheels, new MinisignArtifactSigner(key.secretKey()), false);
        StaticIndexServer upstream = StaticIndexServer.start(index.root(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        S3Server s3;
        try {
            s3 = S3Server.start(dir.resolve("s3"));
        } catch (Exception e) {
            upstream.close();
            throw e;
        }
        S3Server.credentialProperties().forEach(System::setProperty);
        Fleet fleet = new Fleet(dir, key, index, upstream, s3);
        fleet.client.createBucket(b -> b.bucket(BUCKET));
        return fleet;
    }

    /** Starts one more edge whose store is at {@code storeEndpoint} (the S3 server, or a relay in front of it). */
    public SignetServer startEdge(URI storeEndpoint, Map<String, Object> extraSettings) throws Exception {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("listen", "127.0.0.1:0");
        s.put("admin-listen", "127.0.0.1:0");
        s.put("upstream", upstream.simpleUri().toString());
        s.put("trusted-keys", List.of(key.publicKey().encoded()));
        s.put("cache-dir", dir.resolve("edge-" + edges.size()).toString());
        s.putAll(s3.settings(BUCKET + "/" + PREFIX, storeEndpoint));
        s.putAll(extraSettings);
        SignetServer edge = SignetServer.start(ConfigLoader.load(null, Map.of(), s), SignetListener.NONE);
        edges.add(edge);
        return edge;
    }

    public SignetServer startEdge() throws Exception {
        return startEdge(s3.endpoint(), Map.of());
    }

    /** The object key of an artifact in the bucket. */
    public static String objectKey(String project, String filename) {
        return PREFIX + "artifacts/" + project + "/" + filename;
    }

    public StaticIndex index() {
        return index;
    }

    public StaticIndexServer upstream() {
        return upstream;
    }

    public S3Server s3() {
        return s3;
    }

    /** The test's own S3 client (not Signet's). */
    public S3Client client() {
        return client;
    }

    public MinisignKeyPair key() {
        return key;
    }

    @Override
    public void close() throws Exception {
        for (SignetServer edge : edges) {
            edge.close();
        }
        client.close();
        s3.close();
        upstream.close();
    }
}
