package dev.signet.server.index;

import dev.signet.events.SignetListener;
import dev.signet.index.IndexFormatException;
import dev.signet.index.JsonIndexParser;
import dev.signet.index.ProjectName;
import dev.signet.index.ProjectPage;
import dev.signet.pages.PageComment;
import dev.signet.pages.PageHistory;
import dev.signet.pages.PagePolicy;
import dev.signet.pages.PageRefusal;
import dev.signet.pages.PageRefusedException;
import dev.signet.pages.PageVerifier;
import dev.signet.pages.VerifiedPage;
import dev.signet.server.concurrent.Futures;
import dev.signet.server.upstream.UpstreamClient;
import dev.signet.server.upstream.UpstreamException;
import dev.signet.server.upstream.UpstreamResponse;
import dev.signet.store.PageHistoryStore;
import dev.signet.store.StoredPage;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fill path of a signed project page (docs/signed-index.md, section 4): fetch {@code <project>/index.json.minisig},
 * check everything it allows before the page is fetched (key, global signature, project, expiry, serial), fetch
 * {@code <project>/index.json}, check the signature over its bytes and the serial against the bytes accepted before,
 * record the serial durably, and only then hand the page on. A refusal is counted, logged and fails the page; nothing
 * is cached. An unsigned page is the caller's to fetch when the mode allows it ({@link Outcome#unsigned()}).
 */
final class SignedPageFetch {

    private static final Logger log = LoggerFactory.getLogger(IndexService.class);

    /** Signature files are a few hundred bytes; the parser refuses anything over 16 KiB with a reason. */
    private static final int MAX_SIGNATURE_FETCH = 64 * 1024;
    static final String JSON_TYPE = "application/vnd.pypi.simple.v1+json";
    static final String PAGE_FILE = PageComment.FILE_NAME;
    static final String SIGNATURE_FILE = PAGE_FILE + ".minisig";

    /**
     * What a fetch produced: a verified page with its signed fields ({@code VERIFIED}); the page held now, confirmed by
     * an identical signature ({@code UNCHANGED}, with the signed fields); the upstream has no such project
     * ({@code NOT_FOUND}); or no signature, and the mode lets the caller use an unsigned page ({@code UNSIGNED}).
     */
    record Outcome(Kind kind, StoredPage page, ProjectPage parsed, PageComment comment) {
        enum Kind { VERIFIED, UNCHANGED, NOT_FOUND, UNSIGNED }

        static final Outcome NOT_FOUND = new Outcome(Kind.NOT_FOUND, null, null, null);
        static final Outcome UNSIGNED = new Outcome(Kind.UNSIGNED, null, null, null);
    }

    private final UpstreamClient client;
    private final Origin origin;
    private final PageVerifier verifier;
    private final PageHistoryStore history;
    private final Executor workers;
    private final InstantSource clock;
    private final int maxPageBytes;
    private final SignetListener listener;
    /** Projects already warned about under {@code prefer}: one WARN line per project, not per fetch. */
    private final Set<String> warnedUnsigned = ConcurrentHashMap.newKeySet();

    SignedPageFetch(UpstreamClient client, Origin origin, PageHistoryStore history, Executor workers, InstantSource clock,
                    int maxPageBytes, SignetListener listener) {
        this.client = client;
        this.origin = origin;
        this.verifier = origin.pages().verifier();
        this.history = history;
        this.workers = workers;
        this.clock = clock;
        this.maxPageBytes = maxPageBytes;
        this.listener = listener;
    }

    PagePolicy policy() {
        return verifier.policy();
    }

    URI pageUrl(String project) {
        return origin.simpleUrl().resolve(project + "/" + PAGE_FILE);
    }

    /**
     * @param previousSignature the signature of the page held now, or {@code null}: the same signature again means the
     *     same bytes (it signs their BLAKE2b hash), so the page is not downloaded again
     */
    CompletableFuture<Outcome> fetch(String project, byte[] previousSignature) {
        return attempt(project, previousSignature, false).handle((outcome, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(outcome);
            }
            Throwable cause = Futures.unwrap(error);
            // A cache on the way may hold the page and its signature from different moments: ask once more, past it.
            if (cause instanceof PageRefusedException refused && (refused.reason() == PageRefusal.BAD_SIGNATURE
                    || refused.reason() == PageRefusal.EQUIVOCATION)) {
                return attempt(project, previousSignature, true);
            }
            return CompletableFuture.<Outcome>failedFuture(cause);
        }).thenCompose(f -> f).whenComplete((outcome, error) -> {
            if (error != null && Futures.unwrap(error) instanceof PageRefusedException refused) {
                refusedLoudly(refused);
                listener.refused(project, null, "page_" + refused.reason().tag(), refused.getMessage());
            }
        });
    }

    private CompletableFuture<Outcome> attempt(String project, byte[] previousSignature, boolean bypassCaches) {
        URI signatureUrl = origin.simpleUrl().resolve(project + "/" + SIGNATURE_FILE);
        return client.fetch(signatureUrl, headers(signatureUrl, bypassCaches), MAX_SIGNATURE_FETCH, null)
                .thenCompose(signature -> {
                    if (signature.status() == 404 || signature.status() == 410) {
                        return unsignedOrAbsent(project, bypassCaches);
                    }
                    if (signature.status() != 200) {
                        throw Futures.wrap(UpstreamException.status(signature.status(), UpstreamClient.redacted(signatureUrl)));
                    }
                    return CompletableFuture.supplyAsync(() -> begin(project, signature.body()), workers)
                            .thenCompose(pending -> previousSignature != null
                                    && Arrays.equals(previousSignature, signature.body())
                                    ? CompletableFuture.completedFuture(
                                            new Outcome(Outcome.Kind.UNCHANGED, null, null, pending.comment()))
                                    : download(project, pending, signature.body(), bypassCaches));
                });
    }

    /** Blocking (reads the serial record): every check the signature file allows, before the page is fetched. */
    private PageVerifier.Pending begin(String project, byte[] signature) {
        try {
            return verifier.begin(project, signature, clock.millis(), known(project));
        } catch (PageRefusedException e) {
            throw Futures.wrap(e);
        }
    }

    private CompletableFuture<Outcome> download(String project, PageVerifier.Pending pending, byte[] signature,
                                                boolean bypassCaches) {
        URI url = pageUrl(project);
        return client.fetch(url, headers(url, bypassCaches), maxPageBytes, null)
                .thenApplyAsync(response -> finish(project, url, pending, signature, response), workers);
    }

    /** Blocking: checks the bytes, then records the serial durably before the page can be served. */
    private Outcome finish(String project, URI url, PageVerifier.Pending pending, byte[] signature,
                           UpstreamResponse response) {
        if (response.status() != 200) {
            throw Futures.wrap(UpstreamException.status(response.status(), UpstreamClient.redacted(url)));
        }
        try {
            byte[] body = response.body();
            VerifiedPage verified = pending.finish(body);
            ProjectPage parsed = parse(project, url, body);
            history.record(project, verified.history());
            StoredPage page = new StoredPage(url.toString(), JSON_TYPE, null, null, clock.millis(), body, signature);
            return new Outcome(Outcome.Kind.VERIFIED, page, parsed, verified.comment());
        } catch (PageRefusedException e) {
            throw Futures.wrap(e);
        } catch (IOException e) {
            throw Futures.wrap(new UpstreamException(UpstreamException.Kind.PROTOCOL,
                    "cannot record the serial of " + project + "'s page: " + e.getMessage(), e));
        }
    }

    /** Section 4, step 9: a PEP 691 page of the project it is signed for. */
    static ProjectPage parse(String project, URI url, byte[] body) throws PageRefusedException {
        ProjectPage parsed;
        try {
            parsed = JsonIndexParser.parseProject(body, url);
        } catch (IndexFormatException e) {
            throw new PageRefusedException(PageRefusal.MALFORMED, project, "not a PEP 691 page: " + e.getMessage());
        }
        if (!ProjectName.normalize(parsed.name()).equals(project)) {
            throw new PageRefusedException(PageRefusal.WRONG_PROJECT, project,
                    "the signed page names project " + parsed.name());
        }
        return parsed;
    }

    /** No signature: absent if the page is absent too; otherwise unsigned, which only {@code prefer} may accept. */
    private CompletableFuture<Outcome> unsignedOrAbsent(String project, boolean bypassCaches) {
        URI url = pageUrl(project);
        // The page itself tells absent from unsigned (its status, not its size: an error page has a body too).
        CompletableFuture<Boolean> exists = client.fetch(url, headers(url, bypassCaches), maxPageBytes, null)
                .thenApply(response -> response.status() != 404 && response.status() != 410);
        return exists.thenApplyAsync(present -> {
            if (!present) {
                return Outcome.NOT_FOUND;
            }
            PageRefusedException refusal = PagePolicy.unsigned(origin.pages().mode(), project, known(project));
            if (refusal != null) {
                throw Futures.wrap(refusal);
            }
            if (warnedUnsigned.add(project)) {
                log.warn("page of {} from {} is not signed; used because signed-pages is prefer and no signed page was "
                        + "seen for it yet", project, origin.name());
            }
            return Outcome.UNSIGNED;
        }, workers);
    }

    /**
     * Blocking: checks a page read back from disk as if it had just been fetched, except that its own serial may
     * equal the recorded one (it is the page recorded). Returns it verified and parsed, or {@code null} when it must
     * be fetched again (unsigned, stale serial, or no longer acceptable).
     */
    Outcome verifyStored(String project, StoredPage raw) {
        byte[] signature = raw.signature();
        if (signature == null) {
            return null;
        }
        try {
            PageVerifier.Pending pending = verifier.begin(project, signature, clock.millis(), known(project));
            byte[] body = raw.body();
            PageComment comment = pending.finish(body).comment();
            return new Outcome(Outcome.Kind.VERIFIED, raw, parse(project, URI.create(raw.url()), body), comment);
        } catch (PageRefusedException e) {
            log.info("not using the cached page of {} from {}: {}", project, origin.name(), e.getMessage());
            return null;
        }
    }

    private PageHistory known(String project) {
        try {
            return history.read(project).orElse(null);
        } catch (IOException e) {
            throw Futures.wrap(new UpstreamException(UpstreamException.Kind.PROTOCOL,
                    "cannot read the serial record of " + project + ": " + e.getMessage(), e));
        }
    }

    private Map<String, String> headers(URI url, boolean bypassCaches) {
        Map<String, String> headers = new LinkedHashMap<>(origin.credentials().headersFor(url));
        if (bypassCaches) {
            headers.put(HttpHeaderNames.CACHE_CONTROL.toString(), "no-cache");
            headers.put(HttpHeaderNames.PRAGMA.toString(), "no-cache");
        }
        return headers;
    }

    private void refusedLoudly(PageRefusedException refused) {
        listener.pageRefused(refused.reason());
        if (refused.reason() == PageRefusal.EQUIVOCATION) {
            log.error("{} from {}; the page accepted before stays in use", refused.getMessage(), origin.name());
        } else {
            log.warn("{} from {}", refused.getMessage(), origin.name());
        }
    }
}
