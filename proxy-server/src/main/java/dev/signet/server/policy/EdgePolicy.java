package dev.signet.server.policy;

import dev.signet.events.SignetListener;
import dev.signet.index.DistributionFile;
import dev.signet.index.ProjectPage;
import dev.signet.pages.SignedPagesMode;
import dev.signet.policy.Decision;
import dev.signet.policy.FileAge;
import dev.signet.policy.FilePolicy;
import dev.signet.server.concurrent.Futures;
import dev.signet.server.index.IndexService;
import dev.signet.server.index.MergedPage;
import dev.signet.server.index.Origin;
import dev.signet.sig.VerificationException;
import dev.signet.store.ArtifactKey;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supply-chain policy applied where nobody can skip it (issue 15), and files refused for a lasting reason kept
 * off the page (issue 14), in one step: for each listed file the {@link FilePolicy} decides from the file's signed age
 * and the clock; a file it refuses, or whose signature was refused for a reason that lasts until the upstream changes
 * the page or the signature, is left off the published page and its direct request is a {@code 403}.
 *
 * <p>The age of a file comes only from signed data: the {@code upload-time} of its page when its upstream requires
 * signed pages ({@code signed-pages: require}: every page in use verified), else the {@code timestamp} in its
 * signature's trusted comment, found by fetching and checking the signature (as the metadata pre-check does, within
 * the same budget per page view: newest files first, a bounded wait, the rest on later views). A file not checked yet
 * has no known age, so while a min-age applies it is left off until its check is done.
 *
 * <p>Published pages carry PEP 700 {@code upload-time} from signed data where it is known; while a min-age applies,
 * an unsigned upstream {@code upload-time} is dropped rather than passed on (a client-side cooldown would trust it).
 */
public final class EdgePolicy implements ServePolicy {

    private static final Logger log = LoggerFactory.getLogger(EdgePolicy.class);
    private static final String METADATA_SUFFIX = ".metadata";

    private final PolicyRules rules;
    private final SignatureAges ages;
    private final IndexService index;
    private final Executor workers;
    private final InstantSource clock;
    private final SignetListener listener;
    private final boolean hideRefused;
    private final int checksPerView;
    private final Duration maxWait;

    public EdgePolicy(PolicyRules rules, IndexService index, SignatureAgesSettings settings, Executor workers,
                      InstantSource clock, SignetListener listener) {
        this.rules = rules;
        this.ages = new SignatureAges(settings.client(), settings.signatures(), workers, settings.ttl(),
                settings.ticker(), settings.maxConcurrent());
        this.index = index;
        this.workers = workers;
        this.clock = clock;
        this.listener = listener;
        this.hideRefused = settings.hideRefused();
        this.checksPerView = settings.checksPerView();
        this.maxWait = settings.maxWait();
    }

    public PolicyRules rules() {
        return rules;
    }

    @Override
    public CompletableFuture<FilteredPage> filter(String project, MergedPage merged, ProjectPage advertised) {
        FilePolicy policy = rules.current();
        long generation = rules.generation();
        List<DistributionFile> files = advertised.files();
        List<CompletableFuture<SignatureVerdict>> verdictOf = new ArrayList<>(Collections.nCopies(files.size(), null));
        List<CompletableFuture<SignatureVerdict>> awaited = new ArrayList<>();
        boolean needsAges = policy.needsAges();
        int budget = index.offline() ? 0 : checksPerView;
        boolean unchecked = false;
        // Newest last on index pages, and the newest files are the ones installers pick: check from the end.
        for (int i = files.size() - 1; i >= 0; i--) {
            DistributionFile file = files.get(i);
            Origin origin = merged.originOf(file.filename()).orElse(null);
            if (origin == null) {
                continue;
            }
            CompletableFuture<SignatureVerdict> verdict = ages.known(project, file, origin);
            if (verdict == null && needsAges && signedPageTime(file, origin) == null) {
                if (budget == 0) {
                    unchecked = !index.offline();
                    continue;
                }
                budget--;
                verdict = ages.verdict(project, file, origin, true);
            }
            verdictOf.set(i, verdict);
            if (verdict != null && !verdict.isDone()) {
                awaited.add(verdict);
            }
        }
        CompletableFuture<Void> checks = Futures.allSettled(awaited);
        CompletableFuture<Void> waited = Futures.atMost(checks, maxWait);
        boolean skipped = unchecked;
        return waited.thenApplyAsync(ignored -> filtered(project, merged, advertised, policy, generation, verdictOf,
                skipped, checks), workers);
    }

    private FilteredPage filtered(String project, MergedPage merged, ProjectPage page, FilePolicy policy, long generation,
                                  List<CompletableFuture<SignatureVerdict>> verdictOf, boolean unchecked,
                                  CompletableFuture<Void> checks) {
        Instant now = clock.instant();
        boolean settled = !unchecked;
        long validUntil = Long.MAX_VALUE;
        List<DistributionFile> kept = new ArrayList<>(page.files().size());
        for (int i = 0; i < page.files().size(); i++) {
            DistributionFile file = page.files().get(i);
            Origin origin = merged.originOf(file.filename()).orElse(null);
            CompletableFuture<SignatureVerdict> pending = verdictOf.get(i);
            SignatureVerdict verdict = pending != null && pending.isDone() && !pending.isCompletedExceptionally()
                    ? pending.join() : null;
            // A verdict not known yet, or a transient failure: ask again when the page is published next.
            settled &= pending == null || verdict != null;
            if (verdict instanceof SignatureVerdict.Refused && hideRefused) {
                continue;
            }
            FileAge age = age(file, origin, verdict);
            Decision decision = policy.decide(project, file.filename(), age, now);
            if (decision instanceof Decision.Refused refused) {
                if (refused.allowedFrom() != null) {
                    validUntil = Math.min(validUntil, refused.allowedFrom().toEpochMilli());
                }
                continue;
            }
            kept.add(withUploadTime(file, age, policy.needsAges()));
        }
        return new FilteredPage(new ProjectPage(page.name(), kept, page.versions(), page.apiVersion()), generation,
                validUntil, settled, checks);
    }

    @Override
    public boolean stillCurrent(FilteredPage page) {
        return page.generation() == rules.generation() && clock.millis() < page.validUntilMillis();
    }

    @Override
    public CompletableFuture<Void> admit(ArtifactKey key) {
        FilePolicy policy = rules.current();
        String project = key.project();
        String listedName = listedName(key.filename());
        MergedPage held = index.current(project);
        if (!policy.needsAges()) {
            // Block rules and advisories need no age. A remembered refusal only keeps the file off pages: the direct
            // request goes on to the fill, which checks the signature again (refusing before the body if it is
            // unchanged), so a signature fixed upstream is served, and the file comes back on the page.
            return decided(policy, key, FileAge.UNKNOWN);
        }
        CompletableFuture<MergedPage> page = held != null ? CompletableFuture.completedFuture(held) : index.merged(project);
        return page.thenCompose(merged -> {
            DistributionFile file = merged.page().file(listedName).orElse(null);
            Origin origin = file == null ? null : merged.originOf(listedName).orElse(null);
            if (file == null || origin == null) {
                // Not listed: the artifact service answers 404 (it reads the same page); a block still refuses.
                return decided(policy, key, FileAge.UNKNOWN).exceptionallyCompose(e -> Futures.unwrap(e)
                        instanceof PolicyRefusedException ? CompletableFuture.failedFuture(e) : CompletableFuture.completedFuture(null));
            }
            Instant pageTime = signedPageTime(file, origin);
            if (pageTime != null) {
                return decided(policy, key, FileAge.signedPage(pageTime));
            }
            return ages.verdictForRequest(project, file, origin).thenCompose(verdict -> {
                if (verdict instanceof SignatureVerdict.Refused refused) {
                    // The signature cannot pass: refused now with its reason, before the body is fetched.
                    return CompletableFuture.failedFuture(refused.reason());
                }
                return decided(policy, key, age(file, origin, verdict));
            });
        });
    }

    private CompletableFuture<Void> decided(FilePolicy policy, ArtifactKey key, FileAge age) {
        Decision decision = policy.decide(key.project(), key.filename(), age, clock.instant());
        if (decision instanceof Decision.Refused refused) {
            listener.policyBlocked(refused.reason().tag());
            rules.recordBlock(refused.rule(), key.project(), key.filename(), clock.instant());
            log.warn("{}", refused.message());
            return CompletableFuture.failedFuture(new PolicyRefusedException(refused));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void served(ArtifactKey key, Throwable error) {
        if (!hideRefused || key.filename().endsWith(METADATA_SUFFIX)) {
            // A metadata file that fails is already not advertised (MetadataSignatures); its artifact may still be fine.
            return;
        }
        if (error == null) {
            // Served, so verified: a refusal remembered earlier no longer holds (the upstream fixed the signature).
            MergedPage merged = index.current(key.project());
            DistributionFile file = merged == null ? null : merged.page().file(key.filename()).orElse(null);
            Origin origin = file == null ? null : merged.originOf(key.filename()).orElse(null);
            if (origin != null && ages.forgetRefusal(key.project(), file, origin)) {
                rules.bump();
                log.info("{} of {} verified again: back on the page", key.filename(), key.project());
            }
            return;
        }
        if (!(Futures.unwrap(error) instanceof VerificationException refused) || !SignatureVerdict.lasting(refused)) {
            return;
        }
        MergedPage merged = index.current(key.project());
        DistributionFile file = merged == null ? null : merged.page().file(key.filename()).orElse(null);
        Origin origin = file == null ? null : merged.originOf(key.filename()).orElse(null);
        if (origin != null) {
            ages.remember(key.project(), file, origin, refused);
            rules.bump();
            log.info("leaving {} off the page of {} until the upstream changes it: {}", key.filename(), key.project(),
                    refused.getMessage());
        }
    }

    /** {@code FILE.metadata} is listed, and judged, as {@code FILE}. */
    private static String listedName(String filename) {
        return filename.endsWith(METADATA_SUFFIX) ? filename.substring(0, filename.length() - METADATA_SUFFIX.length())
                : filename;
    }

    private FileAge age(DistributionFile file, Origin origin, SignatureVerdict verdict) {
        Instant pageTime = origin == null ? null : signedPageTime(file, origin);
        if (pageTime != null) {
            return FileAge.signedPage(pageTime);
        }
        if (verdict instanceof SignatureVerdict.Signed signed && signed.timestamp() != null) {
            return FileAge.signature(signed.timestamp());
        }
        return FileAge.UNKNOWN;
    }

    /**
     * The page's {@code upload-time} when it is signed data: only if the upstream requires signed pages, so that every
     * page of it in use was verified ({@code prefer} may use an unsigned one). Null otherwise or when absent.
     */
    static Instant signedPageTime(DistributionFile file, Origin origin) {
        if (origin.pages().mode() != SignedPagesMode.REQUIRE || file.uploadTime() == null) {
            return null;
        }
        return parseUploadTime(file.uploadTime()).orElse(null);
    }

    static Optional<Instant> parseUploadTime(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(Instant.parse(text));
            } catch (DateTimeParseException again) {
                return Optional.empty();
            }
        }
    }

    private static DistributionFile withUploadTime(DistributionFile file, FileAge age, boolean policyOnAge) {
        String uploadTime = age.known() ? age.uploaded().toString() : policyOnAge ? null : file.uploadTime();
        if (java.util.Objects.equals(uploadTime, file.uploadTime())) {
            return file;
        }
        return new DistributionFile(file.filename(), file.url(), file.hashes(), file.requiresPython(), file.yanked(),
                file.coreMetadata(), file.size(), uploadTime, file.provenance());
    }
}
