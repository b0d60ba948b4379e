package dev.signet.server.artifact;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.signet.index.DistributionFile;
import dev.signet.index.ProjectPage;
import dev.signet.server.concurrent.Futures;
import dev.signet.server.index.MergedPage;
import dev.signet.server.index.Origin;
import dev.signet.server.upstream.UpstreamClient;
import dev.signet.server.upstream.UpstreamException;
import dev.signet.sig.VerificationException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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
 * <p>Cost on large pages (botocore and numpy list thousands of files): a page view never waits for every signature.
 * It advertises what is already known good; it starts at most {@code checksPerView} new checks (newest files first,
 * the ones installers pick), waits for them at most {@code maxWait}, and drops the attribute from every file whose
 * verdict is not known by then. The checks it started go on in the background, and the page is published again on a
 * later view once they are done ({@link Advertised#settled()} says whether anything is left to check). Each check is
 * one small fetch (a signature is a few hundred bytes) and two Ed25519 verifications; at most {@code maxConcurrent}
 * run at once across all pages; verdicts are cached per signature URL, upstream and project for the index TTL, and
 * concurrent checks of the same signature share one fetch. A check that fails for a transient reason (upstream
 * unreachable) drops the attribute for that rendering and is not cached.
 */
public final class MetadataSignatures {

    /**
     * A page with {@code core-metadata} kept only where the pre-check passed. {@code settled}: every file that offers
     * metadata had its verdict; otherwise {@code checks} completes when the checks this view started (or found
     * running) are done, and publishing the page again then advertises more.
     */
    public record Advertised(ProjectPage page, boolean settled, CompletableFuture<Void> checks) {}

    private static final Logger log = LoggerFactory.getLogger(MetadataSignatures.class);
    private static final int MAX_SIGNATURE_FETCH = 64 * 1024;

    private final UpstreamClient client;
    private final SignatureLocation signatures;
    private final Executor workers;
    private final AsyncLimiter limiter;
    private final AsyncCache<String, Boolean> verdicts;
    private final int checksPerView;
    private final Duration maxWait;

    public MetadataSignatures(UpstreamClient client, SignatureLocation signatures, Executor workers, Duration ttl,
                              Ticker ticker, int maxConcurrent, int checksPerView, Duration maxWait) {
        if (checksPerView < 0) {
            throw new IllegalArgumentException("checks per view must not be negative, got " + checksPerView);
        }
        this.client = client;
        this.signatures = signatures;
        this.workers = workers;
        this.limiter = new AsyncLimiter(maxConcurrent);
        this.verdicts = Caffeine.newBuilder().recordStats().ticker(ticker).expireAfterWrite(ttl).maximumSize(200_000).buildAsync();
        this.checksPerView = checksPerView;
        this.maxWait = maxWait;
    }

    /**
     * The page with {@code core-metadata} kept only on files whose metadata signature passed the pre-check, as far as
     * that is known within this view's budget of checks and wait. Never fails.
     */
    public CompletableFuture<Advertised> advertisable(String project, MergedPage merged) {
        List<DistributionFile> files = merged.page().files();
        List<CompletableFuture<Boolean>> verdictOf = new ArrayList<>(Collections.nCopies(files.size(), null));
        List<CompletableFuture<Boolean>> awaited = new ArrayList<>();
        int budget = checksPerView;
        boolean unchecked = false;
        // Newest last on index pages, and the newest files are the ones installers resolve to: check from the end.
        for (int i = files.size() - 1; i >= 0; i--) {
            DistributionFile file = files.get(i);
            Origin origin = file.coreMetadata() == null ? null : merged.originOf(file.filename()).orElse(null);
            if (origin == null) {
                continue;
            }
            String key = key(project, file, origin);
            CompletableFuture<Boolean> verdict = verdicts.getIfPresent(key);
            if (verdict == null) {
                if (budget == 0) {
                    unchecked = true;
                    continue;
                }
                budget--;
                verdict = isSigned(project, file, origin);
            }
            verdictOf.set(i, verdict);
            if (!verdict.isDone()) {
                awaited.add(verdict);
            }
        }
        CompletableFuture<Void> checks = Futures.allSettled(awaited);
        CompletableFuture<Void> waited = Futures.atMost(checks, maxWait);
        boolean skipped = unchecked;
        return waited.thenApplyAsync(ignored -> advertised(merged.page(), verdictOf, skipped, checks), workers);
    }

    /** The page as the verdicts stand now: a file keeps its metadata only with a finished, passing check. */
    private static Advertised advertised(ProjectPage page, List<CompletableFuture<Boolean>> verdictOf, boolean unchecked,
                                         CompletableFuture<Void> checks) {
        boolean settled = !unchecked;
        List<DistributionFile> kept = new ArrayList<>(page.files().size());
        for (int i = 0; i < page.files().size(); i++) {
            DistributionFile file = page.files().get(i);
            CompletableFuture<Boolean> verdict = verdictOf.get(i);
            if (file.coreMetadata() == null) {
                kept.add(file);
                continue;
            }
            boolean known = verdict != null && verdict.isDone() && !verdict.isCompletedExceptionally();
            // A verdict not known yet, or a transient failure: ask again when the page is published next.
            settled &= known || verdict == null;
            kept.add(known && verdict.join() ? file : file.withCoreMetadata(null));
        }
        return new Advertised(new ProjectPage(page.name(), kept, page.versions(), page.apiVersion()), settled, checks);
    }

    private String key(String project, DistributionFile file, Origin origin) {
        String metadataName = file.filename() + FillSource.METADATA_SUFFIX;
        return origin.name() + " " + project + " " + signatures.signatureOf(FillSource.metadataUrl(file), metadataName);
    }

    /** Whether the metadata signature of {@code file} passes the pre-check; fails on transient upstream trouble. */
    CompletableFuture<Boolean> isSigned(String project, DistributionFile file, Origin origin) {
        String metadataName = file.filename() + FillSource.METADATA_SUFFIX;
        URI url = signatures.signatureOf(FillSource.metadataUrl(file), metadataName);
        return verdicts.get(key(project, file, origin), (ignored, executor) -> limiter.submit(() -> check(project, metadataName, url, origin)));
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
