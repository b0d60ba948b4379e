package dev.signet.server.artifact;

import dev.signet.server.concurrent.Futures;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.signet.index.DistributionFile;
import dev.signet.index.ProjectPage;
import dev.signet.server.index.MergedPage;
import dev.signet.server.index.Origin;
import dev.signet.server.upstream.UpstreamClient;
import dev.signet.server.upstream.UpstreamException;
import dev.signet.sig.VerificationException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which PEP 658 metadata files a rewritten page may advertise. An installer that sees {@code core-metadata}
 * fetches {@code FILE.metadata} and fails on anything but a verified answer, so Signet advertises a metadata file only
 * when a signature for it exists and passes every check that does not need the metadata's bytes: it parses, its key
 * is trusted (and not revoked) for the project by the upstream that listed the file, the global signature verifies,
 * and its {@code file:} names {@code FILE.metadata}. Otherwise the attribute is dropped and installers read the
 * metadata from the verified artifact itself. The metadata bytes are still fully verified when they are served.
 *
 * <p>Cost on large pages: only files whose page offers metadata are checked; each check is one small fetch (a
 * signature is a few hundred bytes) and two Ed25519 verifications; at most {@code maxConcurrent} checks run at once
 * across all pages, so a page with thousands of files cannot flood the upstream; verdicts are cached per signature
 * URL, upstream and project for the index TTL, and concurrent checks of the same signature share one fetch. A check
 * that fails for a transient reason (upstream unreachable) drops the attribute for that rendering and is not cached.
 */
public final class MetadataSignatures {

    private static final Logger log = LoggerFactory.getLogger(MetadataSignatures.class);
    private static final int MAX_SIGNATURE_FETCH = 64 * 1024;

    private final UpstreamClient client;
    private final SignatureLocation signatures;
    private final Executor workers;
    private final AsyncLimiter limiter;
    private final AsyncCache<String, Boolean> verdicts;

    public MetadataSignatures(UpstreamClient client, SignatureLocation signatures, Executor workers, Duration ttl,
                              Ticker ticker, int maxConcurrent) {
        this.client = client;
        this.signatures = signatures;
        this.workers = workers;
        this.limiter = new AsyncLimiter(maxConcurrent);
        this.verdicts = Caffeine.newBuilder().recordStats().ticker(ticker).expireAfterWrite(ttl).maximumSize(200_000).buildAsync();
    }

    /** The page with {@code core-metadata} kept only on files whose metadata signature passes the pre-check. */
    public CompletableFuture<ProjectPage> advertisable(String project, MergedPage merged) {
        ProjectPage page = merged.page();
        List<CompletableFuture<DistributionFile>> files = new ArrayList<>(page.files().size());
        for (DistributionFile file : page.files()) {
            if (file.coreMetadata() == null) {
                files.add(CompletableFuture.completedFuture(file));
                continue;
            }
            Origin origin = merged.originOf(file.filename()).orElse(null);
            if (origin == null) {
                files.add(CompletableFuture.completedFuture(file.withCoreMetadata(null)));
                continue;
            }
            files.add(isSigned(project, file, origin)
                    .handle((signed, error) -> Boolean.TRUE.equals(signed) ? file : file.withCoreMetadata(null)));
        }
        return CompletableFuture.allOf(files.toArray(CompletableFuture[]::new)).thenApply(done -> new ProjectPage(
                page.name(), files.stream().map(CompletableFuture::join).toList(), page.versions(), page.apiVersion()));
    }

    /** Whether the metadata signature of {@code file} passes the pre-check; fails on transient upstream trouble. */
    CompletableFuture<Boolean> isSigned(String project, DistributionFile file, Origin origin) {
        String metadataName = file.filename() + FillSource.METADATA_SUFFIX;
        URI url = signatures.signatureOf(FillSource.metadataUrl(file), metadataName);
        String key = origin.name() + " " + project + " " + url;
        return verdicts.get(key, (ignored, executor) -> limiter.submit(() -> check(project, metadataName, url, origin)));
    }

    private CompletableFuture<Boolean> check(String project, String metadataName, URI url, Origin origin) {
        return client.fetch(url, origin.credentials().headersFor(url), MAX_SIGNATURE_FETCH, null)
                .thenApplyAsync(response -> {
                    if (response.status() == 404 || response.status() == 410) {
                        log.debug("not advertising {}: no signature at {}", metadataName, UpstreamClient.redacted(url));
                        return false;
                    }
                    if (response.status() != 200) {
                        throw Futures.wrap(UpstreamException.status(response.status(), UpstreamClient.redacted(url)));
                    }
                    try {
                        origin.keyring().begin(project, metadataName, response.body());
                        return true;
                    } catch (VerificationException e) {
                        log.info("not advertising metadata: {}", e.getMessage());
                        return false;
                    }
                }, workers);
    }

    /** The cache of pre-check verdicts, for metrics only. */
    public AsyncCache<String, Boolean> statistics() {
        return verdicts;
    }
}
