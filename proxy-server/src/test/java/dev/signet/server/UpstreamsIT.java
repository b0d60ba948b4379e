package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.index.DistributionFile;
import dev.signet.index.JsonIndexParser;
import dev.signet.index.ProjectPage;
import dev.signet.server.demo.ArtifactSigner;
import dev.signet.server.demo.DemoProjects;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.StaticIndex;
import dev.signet.server.demo.StaticIndexServer;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.Pip;
import dev.signet.server.testing.Processes;
import dev.signet.server.testing.SignetFixture;
import dev.signet.sig.MinisignKeyPair;
import dev.signet.store.ArtifactKey;
import dev.signet.store.ArtifactRecord;
import dev.signet.store.ArtifactStore;
import dev.signet.store.PendingFill;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A primary index plus an extra index with its own key: unpinned projects merge onto one page; a project pinned to
 * the primary is never served from the extra index, however it is asked for; each index's files verify only with its
 * own keys.
 */
class UpstreamsIT {

    private static final String JSON = "application/vnd.pypi.simple.v1+json";
    private static final String SHADOW = "signet_demo_lib-9.0.0-py3-none-any.whl";

    @Test
    void pinnedProjectsComeOnlyFromTheirUpstreamAndOthersMerge(@TempDir Path dir) throws Exception {
        MinisignKeyPair primaryKey = MinisignKeyPair.generate(new SecureRandom());
        MinisignKeyPair extraKey = MinisignKeyPair.generate(new SecureRandom());
        ArtifactSigner byPrimary = new MinisignArtifactSigner(primaryKey.secretKey());
        ArtifactSigner byExtra = new MinisignArtifactSigner(extraKey.secretKey());
        // extra-only 2.0.0 is signed with the primary's key, which the extra index is not trusted with.
        ArtifactSigner extraSigner = (file, name) -> (name.startsWith("extra_only-2.0.0") ? byPrimary : byExtra).sign(file, name);
        StaticIndex extraIndex = StaticIndex.build(dir.resolve("extra"), List.of(
                WheelBuilder.wheel("signet-demo-lib", "9.0.0").requires("signet-demo-utils"),
                WheelBuilder.wheel("signet-demo-text", "0.4.0"),
                WheelBuilder.wheel("extra-only", "1.0.0"),
                WheelBuilder.wheel("extra-only", "2.0.0")), extraSigner, false);
        try (StaticIndexServer extra = StaticIndexServer.start(extraIndex.root(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("extra-upstreams", List.of(Map.of("name", "extra", "url", extra.simpleUri().toString(),
                    "trusted-keys", List.of(extraKey.publicKey().encoded()))));
            settings.put("pins", Map.of("signet-demo-lib", "primary", "signet-demo-app", "primary",
                    "signet-demo-utils", "primary"));
            try (SignetFixture f = SignetFixture.start(dir.resolve("primary"), DemoProjects.demoWheels(), byPrimary,
                    primaryKey.publicKey().encoded(), settings)) {
                ProjectPage lib = page(f, "signet-demo-lib");
                assertThat(names(lib)).contains("signet_demo_lib-1.2.0-py3-none-any.whl").doesNotContain(SHADOW);
                assertThat(lib.versions()).doesNotContain("9.0.0");
                assertThat(f.get("/packages/signet-demo-lib/" + SHADOW).statusCode()).isEqualTo(404);
                assertThat(new String(f.get("/simple/signet-demo-lib/", "Accept", "text/html").body())).doesNotContain(SHADOW);
                assertThat(extra.requestCount("/simple/signet-demo-lib/")).as("a pinned project is never asked elsewhere").isZero();

                ProjectPage text = page(f, "signet-demo-text");
                assertThat(names(text)).containsExactly("signet_demo_text-0.3.0-py3-none-any.whl",
                        "signet_demo_text-0.4.0-py3-none-any.whl");
                HttpResponse<byte[]> merged = f.get("/packages/signet-demo-text/signet_demo_text-0.4.0-py3-none-any.whl");
                assertThat(merged.statusCode()).as(new String(merged.body())).isEqualTo(200);
                assertThat(merged.body()).isEqualTo(Files.readAllBytes(
                        extraIndex.root().resolve("packages/signet_demo_text-0.4.0-py3-none-any.whl")));

                assertThat(f.get("/packages/extra-only/extra_only-1.0.0-py3-none-any.whl").statusCode()).isEqualTo(200);
                HttpResponse<byte[]> foreignKey = f.get("/packages/extra-only/extra_only-2.0.0-py3-none-any.whl");
                assertThat(foreignKey.statusCode()).as("the primary's key does not vouch for the extra index").isEqualTo(403);
                assertThat(new String(foreignKey.body())).contains("not trusted");

                String root = new String(f.get("/simple/", "Accept", JSON).body());
                assertThat(root).contains("\"extra-only\"").contains("\"signet-demo-lib\"");

                Path target = Files.createDirectories(dir.resolve("target"));
                Processes.Result pip = Pip.install(dir, f.simpleUrl(), target, List.of(), "signet-demo-app");
                assertThat(pip.exitCode()).as(pip.output()).isZero();
                assertThat(Files.readString(target.resolve("signet_demo_lib/__init__.py"))).contains("\"1.2.0\"");
                assertThat(extra.requestCount("/packages/" + SHADOW)).isZero();
            }
        }
    }

    /**
     * Regression: after a restart, cached files were re-verified with every upstream's keys together, so a file of a
     * project pinned to the primary, planted in the cache with a valid signature by the extra index's key, passed and
     * was served. A pinned project's cached files are re-verified with its own upstream's keys only.
     */
    @Test
    void pinnedProjectsCachedFileSignedByAnotherUpstreamsKeyIsNotServedAfterRestart(@TempDir Path dir) throws Exception {
        MinisignKeyPair primaryKey = MinisignKeyPair.generate(new SecureRandom());
        MinisignKeyPair extraKey = MinisignKeyPair.generate(new SecureRandom());
        ArtifactSigner byPrimary = new MinisignArtifactSigner(primaryKey.secretKey());
        ArtifactSigner byExtra = new MinisignArtifactSigner(extraKey.secretKey());
        StaticIndex extraIndex = StaticIndex.build(dir.resolve("extra"), List.of(WheelBuilder.wheel("extra-only", "1.0.0")),
                byExtra, false);
        String file = "signet_demo_lib-1.2.0-py3-none-any.whl";
        String path = "/packages/signet-demo-lib/" + file;
        try (StaticIndexServer extra = StaticIndexServer.start(extraIndex.root(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("extra-upstreams", List.of(Map.of("name", "extra", "url", extra.simpleUri().toString(),
                    "trusted-keys", List.of(extraKey.publicKey().encoded()))));
            settings.put("pins", Map.of("signet-demo-lib", "primary"));
            try (SignetFixture f = SignetFixture.start(dir.resolve("primary"), DemoProjects.demoWheels(), byPrimary,
                    primaryKey.publicKey().encoded(), settings)) {
                byte[] genuine = Files.readAllBytes(f.index().root().resolve("packages").resolve(file));
                assertThat(f.get(path).body()).isEqualTo(genuine);

                // Someone with write access to the cache swaps in other bytes, validly signed, by the wrong index's key.
                Path planted = WheelBuilder.wheel("signet-demo-lib", "1.2.0").padding(4096, 7)
                        .writeTo(Files.createDirectories(dir.resolve("planted")));
                byte[] plantedBytes = Files.readAllBytes(planted);
                assertThat(plantedBytes).isNotEqualTo(genuine);
                byte[] signature = byExtra.sign(planted, file);
                f.restart(() -> {
                    try (ArtifactStore store = ArtifactStore.open(f.cacheDir());
                         PendingFill fill = store.beginFill(new ArtifactKey("signet-demo-lib", file))) {
                        fill.write(ByteBuffer.wrap(plantedBytes));
                        fill.commit(new ArtifactRecord(sha256(plantedBytes), plantedBytes.length,
                                extraKey.publicKey().keyId().toString(), signature, System.currentTimeMillis()));
                    }
                });

                HttpResponse<byte[]> response = f.get(path);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(sha256(response.body())).as("the planted file never goes out; the genuine one is fetched again")
                        .isEqualTo(sha256(genuine));
                assertThat(sha256(Files.readAllBytes(f.cachedFile("signet-demo-lib", file)))).isEqualTo(sha256(genuine));
            }
        }
    }

    /**
     * Regression (issue 10, item 6): an unpinned file first listed only by the extra index, and cached with that index's
     * key, kept being served after the primary listed the same file name with another sha256, although a name listed
     * twice is taken from the earlier upstream. The cached copy is now checked against the page that lists it now (the
     * primary's keys and sha256), fails, and the primary's file is fetched, verified and served instead. With and without
     * the memory tier, which answers hits without reading the disk.
     */
    @ParameterizedTest(name = "memory-cache-size: {0}")
    @ValueSource(strings = {"64MiB", "0"})
    void aCachedFileFromTheExtraIndexIsNotServedOnceThePrimaryListsItsNameWithAnotherSha256(String memory, @TempDir Path dir)
            throws Exception {
        MinisignKeyPair primaryKey = MinisignKeyPair.generate(new SecureRandom());
        MinisignKeyPair extraKey = MinisignKeyPair.generate(new SecureRandom());
        ArtifactSigner byPrimary = new MinisignArtifactSigner(primaryKey.secretKey());
        ArtifactSigner byExtra = new MinisignArtifactSigner(extraKey.secretKey());
        WheelBuilder extraBuild = WheelBuilder.wheel("shared", "1.0.0").padding(20_000, 1);
        WheelBuilder primaryBuild = WheelBuilder.wheel("shared", "1.0.0").padding(20_000, 2);
        String file = extraBuild.fileName();
        String path = "/packages/shared/" + file;
        StaticIndex extraIndex = StaticIndex.build(dir.resolve("extra"), List.of(extraBuild), byExtra, false);
        try (StaticIndexServer extra = StaticIndexServer.start(extraIndex.root(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("extra-upstreams", List.of(Map.of("name", "extra", "url", extra.simpleUri().toString(),
                    "trusted-keys", List.of(extraKey.publicKey().encoded()))));
            settings.put("index-ttl", "0s");
            settings.put("memory-cache-size", memory);
            try (SignetFixture f = SignetFixture.start(dir.resolve("primary"), List.of(WheelBuilder.wheel("shared", "0.9.0")),
                    byPrimary, primaryKey.publicKey().encoded(), settings)) {
                byte[] fromExtra = Files.readAllBytes(extraIndex.root().resolve("packages").resolve(file));
                assertThat(page(f, "shared").file(file).orElseThrow().sha256()).hasValue(extraIndex.sha256(file));
                assertThat(f.get(path).body()).isEqualTo(fromExtra);
                assertThat(f.get(path).body()).as("a hit, as before").isEqualTo(fromExtra);

                // The primary now publishes the same file name with other bytes (a re-upload), signed by its own key.
                StaticIndex republished = StaticIndex.build(dir.resolve("primary-v2"),
                        List.of(WheelBuilder.wheel("shared", "0.9.0"), primaryBuild), byPrimary, false);
                copyOver(republished.root(), f.index().root());
                byte[] fromPrimary = Files.readAllBytes(republished.root().resolve("packages").resolve(file));
                assertThat(fromPrimary).isNotEqualTo(fromExtra);
                assertThat(page(f, "shared").file(file).orElseThrow().sha256()).hasValue(republished.sha256(file));

                HttpResponse<byte[]> served = f.get(path);
                assertThat(served.statusCode()).isEqualTo(200);
                assertThat(sha256(served.body())).as("the file the page lists now, from the upstream that lists it")
                        .isEqualTo(republished.sha256(file));
                assertThat(served.headers().firstValue("x-signet-cache")).hasValue("miss");
                assertThat(f.upstream().requestCount("/packages/" + file)).isEqualTo(1);
                assertThat(sha256(Files.readAllBytes(f.cachedFile("shared", file)))).isEqualTo(republished.sha256(file));
                assertThat(f.get(path).body()).isEqualTo(fromPrimary);
                assertThat(extra.requestCount("/packages/" + file)).isEqualTo(1);
            }
        }
    }

    /**
     * Item 6 with the same bytes: the primary now lists the very file the extra index listed (same sha256), so the cached
     * copy, verified with the extra index's key, must now verify with the primary's keys. Until the primary publishes a
     * signature for it, it is refused (no byte, nothing left cached); then the primary's signed file is served.
     */
    @Test
    void aCachedFileFromTheExtraIndexMustVerifyWithThePrimarysKeysOnceThePrimaryListsIt(@TempDir Path dir) throws Exception {
        MinisignKeyPair primaryKey = MinisignKeyPair.generate(new SecureRandom());
        MinisignKeyPair extraKey = MinisignKeyPair.generate(new SecureRandom());
        ArtifactSigner byPrimary = new MinisignArtifactSigner(primaryKey.secretKey());
        WheelBuilder shared = WheelBuilder.wheel("shared", "1.0.0").padding(20_000, 1);
        String file = shared.fileName();
        String path = "/packages/shared/" + file;
        StaticIndex extraIndex = StaticIndex.build(dir.resolve("extra"), List.of(shared),
                new MinisignArtifactSigner(extraKey.secretKey()), false);
        try (StaticIndexServer extra = StaticIndexServer.start(extraIndex.root(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("extra-upstreams", List.of(Map.of("name", "extra", "url", extra.simpleUri().toString(),
                    "trusted-keys", List.of(extraKey.publicKey().encoded()))));
            settings.put("index-ttl", "0s");
            try (SignetFixture f = SignetFixture.start(dir.resolve("primary"), List.of(WheelBuilder.wheel("shared", "0.9.0")),
                    byPrimary, primaryKey.publicKey().encoded(), settings)) {
                byte[] genuine = Files.readAllBytes(extraIndex.root().resolve("packages").resolve(file));
                page(f, "shared");
                assertThat(f.get(path).body()).isEqualTo(genuine);

                StaticIndex republished = StaticIndex.build(dir.resolve("primary-v2"),
                        List.of(WheelBuilder.wheel("shared", "0.9.0"), shared), byPrimary, false);
                copyOver(republished.root(), f.index().root());
                assertThat(republished.sha256(file)).isEqualTo(extraIndex.sha256(file));
                f.upstream().override("/packages/" + file + ".minisig", dev.signet.server.demo.Fault.status(404));
                page(f, "shared");

                HttpResponse<byte[]> refused = f.get(path);
                String reason = new String(refused.body(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(refused.statusCode()).as(reason).isEqualTo(403);
                assertThat(reason).contains(file).contains("missing signature");
                assertThat(refused.body().length).isLessThan(1024);
                assertThat(refused.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
                assertThat(f.cachedFile("shared", file)).as("the copy the extra index's key vouched for is gone").doesNotExist();
                assertThat(f.cacheFiles()).isEmpty();
                assertThat(f.upstream().requestCount("/packages/" + file)).as("refused before the body").isZero();

                f.upstream().clearOverrides();
                HttpResponse<byte[]> served = f.get(path);
                assertThat(served.body()).isEqualTo(genuine);
                assertThat(served.headers().firstValue("x-signet-cache")).hasValue("miss");
                assertThat(f.upstream().requestCount("/packages/" + file)).isEqualTo(1);
                assertThat(extra.requestCount("/packages/" + file)).isEqualTo(1);
            }
        }
    }

    /**
     * Item 6 across a restart: the first serve after a restart re-verifies every entry, and does so against the page it
     * is asked from (the primary's keys and sha256), not with every upstream's keys together.
     */
    @Test
    void afterARestartACachedFileFromTheExtraIndexIsCheckedAgainstThePageThatListsItNow(@TempDir Path dir) throws Exception {
        MinisignKeyPair primaryKey = MinisignKeyPair.generate(new SecureRandom());
        MinisignKeyPair extraKey = MinisignKeyPair.generate(new SecureRandom());
        ArtifactSigner byPrimary = new MinisignArtifactSigner(primaryKey.secretKey());
        WheelBuilder extraBuild = WheelBuilder.wheel("shared", "1.0.0").padding(20_000, 1);
        String file = extraBuild.fileName();
        String path = "/packages/shared/" + file;
        StaticIndex extraIndex = StaticIndex.build(dir.resolve("extra"), List.of(extraBuild),
                new MinisignArtifactSigner(extraKey.secretKey()), false);
        try (StaticIndexServer extra = StaticIndexServer.start(extraIndex.root(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("extra-upstreams", List.of(Map.of("name", "extra", "url", extra.simpleUri().toString(),
                    "trusted-keys", List.of(extraKey.publicKey().encoded()))));
            try (SignetFixture f = SignetFixture.start(dir.resolve("primary"), List.of(WheelBuilder.wheel("shared", "0.9.0")),
                    byPrimary, primaryKey.publicKey().encoded(), settings)) {
                page(f, "shared");
                assertThat(f.get(path).statusCode()).isEqualTo(200);
                StaticIndex republished = StaticIndex.build(dir.resolve("primary-v2"), List.of(
                        WheelBuilder.wheel("shared", "0.9.0"), WheelBuilder.wheel("shared", "1.0.0").padding(20_000, 2)),
                        byPrimary, false);
                // Pages are kept on disk too: purge the project's so the restarted Signet reads the primary's new page.
                f.restart(() -> {
                    copyOver(republished.root(), f.index().root());
                    deleteTree(f.cacheDir().resolve("pages"));
                });

                page(f, "shared");
                HttpResponse<byte[]> served = f.get(path);
                assertThat(sha256(served.body())).isEqualTo(republished.sha256(file));
                assertThat(served.headers().firstValue("x-signet-cache")).hasValue("miss");
            }
        }
    }

    private static void deleteTree(Path root) throws Exception {
        try (java.util.stream.Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Copies every file of {@code from} over {@code to}, replacing what is there (the upstream serves from disk). */
    private static void copyOver(Path from, Path to) throws Exception {
        try (java.util.stream.Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static ProjectPage page(SignetFixture f, String project) throws Exception {
        HttpResponse<byte[]> response = f.get("/simple/" + project + "/", "Accept", JSON);
        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
        return JsonIndexParser.parseProject(response.body(), URI.create(f.simpleUrl() + project + "/"));
    }

    private static List<String> names(ProjectPage page) {
        return page.files().stream().map(DistributionFile::filename).toList();
    }
}
