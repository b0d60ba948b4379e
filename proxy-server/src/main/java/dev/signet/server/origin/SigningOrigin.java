package dev.signet.server.origin;

import dev.signet.events.SignetListener;
import dev.signet.index.ProjectName;
import dev.signet.index.ProjectPage;
import dev.signet.provenance.Provenance;
import dev.signet.publish.DistributionName;
import dev.signet.publish.FileDigests;
import dev.signet.publish.KeySigner;
import dev.signet.publish.MirrorPublisher;
import dev.signet.publish.MirroredPage;
import dev.signet.publish.PublishException;
import dev.signet.publish.PublishOptions;
import dev.signet.server.concurrent.Futures;
import dev.signet.server.config.OriginConfig;
import dev.signet.server.index.IndexService;
import dev.signet.server.index.Page;
import dev.signet.server.index.ProjectNotFoundException;
import dev.signet.server.upstream.Credentials;
import dev.signet.server.upstream.UpstreamClient;
import dev.signet.sig.MinisignSignature;
import dev.signet.sig.SignatureFormatException;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing origin ({@code role: origin}, docs/deploy.md): in front of an HTTPS index it signs what it checked, so
 * that artifacts can cross untrusted caches to edges that trust only its key.
 *
 * <ul>
 *   <li>Pages: the upstream page (fetched, cached and revalidated by the same {@link IndexService} an edge uses) is
 *       reduced to the files the origin can vouch for ({@link OriginListing}) and published in the signed-page format
 *       by {@link MirrorPublisher}: re-signed, with a higher serial, when the listing changes or the signature nears
 *       its expiry. A page built from a stale upstream view is never re-signed: the page signed before stays, and
 *       expires on its own schedule.</li>
 *   <li>Files: on the first request, downloaded once however many ask (single flight), checked against the
 *       upstream's sha256, then published and signed once; every later request, after restarts too, gets the same
 *       bytes and signature.</li>
 * </ul>
 */
public final class SigningOrigin {

    private static final Logger log = LoggerFactory.getLogger(SigningOrigin.class);
    private static final String SIGNATURE_SUFFIX = ".minisig";

    private record Listed(ProjectPage upstream, OriginListing listing) {
    }

    private final MirrorPublisher mirror;
    private final IndexService index;
    private final OriginDownload download;
    private final OriginProvenance provenance;
    private final FileHostPolicy hosts;
    private final Executor workers;
    private final OriginConfig config;
    private final SignetListener events;
    private final ConcurrentHashMap<String, Listed> listings = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Void>> fills = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> etags = new ConcurrentHashMap<>();
    private final OriginProjectList projectList;

    private SigningOrigin(MirrorPublisher mirror, IndexService index, OriginDownload download,
            OriginProvenance provenance, FileHostPolicy hosts, Executor workers, OriginConfig config,
            SignetListener events) {
        this.events = events;
        this.mirror = mirror;
        this.index = index;
        this.download = download;
        this.provenance = provenance;
        this.hosts = hosts;
        this.workers = workers;
        this.config = config;
        this.projectList = new OriginProjectList(index, workers);
    }

    /** Opens the origin's signed tree in {@code dir} (created; a switch a crash interrupted is completed). */
    public static SigningOrigin open(Path dir, OriginConfig config, URI upstream, Credentials credentials,
            IndexService index, UpstreamClient client, Executor workers, InstantSource clock, SignetListener events)
            throws IOException {
        KeySigner signer = KeySigner.bindingSha256(config.key(), "signature from signet origin key "
                + config.key().keyId());
        PublishOptions options = PublishOptions.withKey(signer).withExpires(config.pageExpiry()).withClock(clock);
        FileHostPolicy hosts = FileHostPolicy.of(upstream, config.allowedFileHosts());
        log.info("signing origin: key {} (from {}), signed tree {}, pages expire after {}, file hosts {} and {}",
                config.key().keyId(), config.keySource(), dir, config.pageExpiry(), hosts.upstreamHost(),
                hosts.allowedHosts().isEmpty() ? "no others" : hosts.allowedHosts());
        if (config.provenance().enabled()) {
            log.info("signing origin: PEP 740 provenance {} against {}{}", config.provenance().mode()
                    .toString().toLowerCase(java.util.Locale.ROOT), config.provenance().trustedRootSource(),
                    config.provenance().pins().isEmpty() ? "" : ", publishers pinned for "
                            + config.provenance().pins().keySet());
        }
        return new SigningOrigin(MirrorPublisher.open(dir, options), index,
                new OriginDownload(client, credentials, hosts, workers),
                new OriginProvenance(config.provenance(), upstream, client, credentials, hosts, workers), hosts,
                workers, config, events);
    }

    /**
     * One form of the signed page of {@code project}, with its validator: hashed on a worker, once per published
     * page (the bytes of a page object never change).
     */
    public CompletableFuture<OriginPage> page(String project, OriginPage.Form form) {
        return page(project).thenApplyAsync(page -> {
            byte[] body = switch (form) {
                case HTML -> page.html();
                case JSON -> page.json();
                case SIGNATURE -> page.signature();
            };
            String type = switch (form) {
                case HTML -> "text/html; charset=utf-8";
                case JSON -> "application/vnd.pypi.simple.v1+json";
                case SIGNATURE -> "text/plain; charset=utf-8";
            };
            PageTag tag = pageTags.get(project + "/" + form);
            if (tag == null || tag.body() != body) {
                tag = new PageTag(body, "\"" + sha256Hex(body) + "\"");
                pageTags.put(project + "/" + form, tag);
            }
            return new OriginPage(body, tag.etag(), type);
        }, workers);
    }

    /** The project list, unsigned ({@link OriginProjectList}): PEP 503 HTML, or PEP 691 JSON when {@code json}. */
    public CompletableFuture<OriginPage> projectList(boolean json) {
        return projectList.page(json);
    }

    private record PageTag(byte[] body, String etag) {
    }

    private final ConcurrentHashMap<String, PageTag> pageTags = new ConcurrentHashMap<>();

    /** The worker pool, for callers that must leave the event loop (opening a published file). */
    public Executor workers() {
        return workers;
    }

    /** {@code max-age} of pages for the caches in front. */
    public Duration pageMaxAge() {
        return config.pageMaxAge();
    }

    /** The signed page of a normalized project name; fails with {@link ProjectNotFoundException} when absent. */
    public CompletableFuture<MirroredPage> page(String project) {
        return index.mergedPage(project).thenApplyAsync(page -> {
            try {
                return publish(project, page);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (PublishException e) {
                throw new CompletionException(e);
            }
        }, workers);
    }

    private MirroredPage publish(String project, Page<dev.signet.server.index.MergedPage> page)
            throws IOException, PublishException {
        ProjectPage upstream = page.value().page();
        // Files are served from any upstream view, fresh or stale: each is checked against its sha256 anyway.
        Listed listed = listings.compute(project, (key, old) -> old != null && old.upstream() == upstream ? old
                : listed(project, upstream));
        if (page.stale()) {
            var held = mirror.published(project);
            if (held.isPresent()) {
                return held.get();
            }
        }
        return mirror.page(project, listed.listing().files(), config.refreshBefore());
    }

    private Listed listed(String project, ProjectPage upstream) {
        OriginListing listing = OriginListing.of(project, upstream, hosts, config.provenance());
        if (!listing.refusals().isEmpty()) {
            log.info("origin page {}: {} of {} files left off: {}", project, listing.refusals().size(),
                    upstream.files().size(), listing.refusals().entrySet().stream().limit(5)
                            .map(e -> e.getKey() + " (" + e.getValue() + ")").toList());
        }
        return new Listed(upstream, listing);
    }

    /**
     * A published file ({@code name} a distribution, its {@code .metadata}, or either's {@code .minisig}): published
     * now if it is not yet. Fails with {@link OriginRefusedException} (refused to sign) or
     * {@link ProjectNotFoundException} (not listed).
     */
    public CompletableFuture<OriginFile> file(String name, EventLoop loop) {
        boolean signature = name.endsWith(SIGNATURE_SUFFIX);
        String published = signature ? name.substring(0, name.length() - SIGNATURE_SUFFIX.length()) : name;
        return CompletableFuture.supplyAsync(() -> mirror.isPublished(published), workers)
                .thenCompose(done -> done ? CompletableFuture.completedFuture(null) : publishOnce(published, loop))
                .thenApplyAsync(ignored -> servable(published, signature), workers);
    }

    private CompletableFuture<Void> publishOnce(String name, EventLoop loop) {
        CompletableFuture<Void> fresh = new CompletableFuture<>();
        CompletableFuture<Void> running = fills.putIfAbsent(name, fresh);
        if (running != null) {
            return running;
        }
        fresh.whenComplete((ok, error) -> fills.remove(name, fresh));
        source(name).thenCompose(source -> fetchAndPublish(source, loop)).whenComplete((ok, error) -> {
            if (error == null) {
                fresh.complete(null);
            } else {
                fresh.completeExceptionally(Futures.unwrap(error));
            }
        });
        return fresh;
    }

    /** Where {@code name} comes from per its project's current upstream page, or why the origin will not sign it. */
    private CompletableFuture<OriginListing.Source> source(String name) {
        String project;
        try {
            String distribution = name.endsWith(OriginListing.METADATA_SUFFIX)
                    ? name.substring(0, name.length() - OriginListing.METADATA_SUFFIX.length()) : name;
            project = DistributionName.parse(distribution).project();
        } catch (PublishException e) {
            return CompletableFuture.failedFuture(new ProjectNotFoundException("not found: " + printable(name)
                    + " is not a wheel or sdist name"));
        }
        return page(project).thenApply(page -> {
            OriginListing listing = listings.get(project).listing();
            OriginListing.Source source = listing.sources().get(name);
            if (source != null) {
                return source;
            }
            String distribution = name.endsWith(OriginListing.METADATA_SUFFIX)
                    ? name.substring(0, name.length() - OriginListing.METADATA_SUFFIX.length()) : name;
            String reason = listing.refusals().get(distribution);
            if (reason != null) {
                throw new CompletionException(new OriginRefusedException("unlisted", "refused to sign "
                        + printable(name) + ": " + reason));
            }
            if (!name.equals(distribution) && listing.sources().containsKey(distribution)) {
                throw new CompletionException(new OriginRefusedException("unlisted", "refused to sign "
                        + printable(name) + ": the upstream page gives no sha256 for its metadata"));
            }
            throw new CompletionException(new ProjectNotFoundException("not found: " + printable(name)
                    + " is not listed on the upstream page of " + project));
        });
    }

    /**
     * Provenance first (fetched and parsed before the body, when checked), then the body, its sha256, the
     * provenance's attestations against those bytes, and only then the publish. A refusal at any step is logged and
     * counted once, here.
     */
    private CompletableFuture<Void> fetchAndPublish(OriginListing.Source source, EventLoop loop) {
        String project = projectOf(source.name());
        return provenance.fetch(source, project, loop)
                .thenCompose(checked -> downloadAndPublish(source, project, checked, loop))
                .whenCompleteAsync((ok, error) -> {
                    if (error != null && OriginDownload.unwrap(error) instanceof OriginRefusedException refused) {
                        log.warn("origin refused {}: {}", source.name(), refused.getMessage());
                        events.originRefused(refused.reason());
                    }
                }, workers);
    }

    private CompletableFuture<Void> downloadAndPublish(OriginListing.Source source, String project,
            Optional<Provenance> checked, EventLoop loop) {
        Path temp;
        try {
            temp = mirror.newTemp(source.name());
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        return download.fetch(source.url(), temp, loop).thenAcceptAsync(digests -> {
            try {
                check(source, digests);
                Optional<String> publishers = provenance.verify(source, project, checked, digests.sha256Hex());
                mirror.publishFile(source.name(), temp, digests);
                log.info("origin signed {} ({} bytes, sha256 {}{})", source.name(), digests.size(),
                        digests.sha256Hex(), publishers.map(p -> ", PEP 740 provenance of " + p).orElse(""));
                events.originSigned(digests.size());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (OriginRefusedException e) {
                throw new CompletionException(e);
            }
        }, workers).whenCompleteAsync((ok, error) -> {
            if (error != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    log.warn("cannot remove the download temp file {}: {}", temp, e.getMessage());
                }
            }
        }, workers);
    }

    /** The project of a servable name (a distribution or its {@code .metadata}); listed names always parse. */
    private static String projectOf(String name) {
        String distribution = name.endsWith(OriginListing.METADATA_SUFFIX)
                ? name.substring(0, name.length() - OriginListing.METADATA_SUFFIX.length()) : name;
        try {
            return DistributionName.parse(distribution).project();
        } catch (PublishException e) {
            throw new IllegalStateException("a listed file name did not parse: " + distribution, e);
        }
    }

    private static void check(OriginListing.Source source, FileDigests digests) throws OriginRefusedException {
        if (!digests.sha256Hex().equals(source.sha256())) {
            throw new OriginRefusedException("sha256_mismatch", "refused to sign " + source.name()
                    + ": the bytes fetched from upstream"
                    + " have sha256 " + digests.sha256Hex() + ", the upstream page says " + source.sha256());
        }
    }

    /** Blocking: reads the signature (small) for the file's validator. */
    private OriginFile servable(String name, boolean signature) {
        try {
            Path signatureFile = mirror.signature(name);
            Path path = signature ? signatureFile : mirror.file(name);
            String key = signature ? name + SIGNATURE_SUFFIX : name;
            String etag = etags.get(key);
            if (etag == null) {
                byte[] signatureBytes = Files.readAllBytes(signatureFile);
                etag = "\"" + (signature ? sha256Hex(signatureBytes) : signedSha256(signatureBytes, name)) + "\"";
                etags.put(key, etag);
            }
            return new OriginFile(key, path, etag, Files.getLastModifiedTime(path).toInstant());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sha256 the origin's own signature records for the file ({@code sha256:} field of its trusted comment). */
    private static String signedSha256(byte[] signatureBytes, String name) throws IOException {
        try {
            for (String field : MinisignSignature.parse(signatureBytes).trustedComment().split("\t")) {
                if (field.startsWith("sha256:")) {
                    return field.substring("sha256:".length());
                }
            }
        } catch (SignatureFormatException e) {
            throw new IOException("unreadable signature of " + name + ": " + e.getMessage(), e);
        }
        // A file published by signet publish into the same tree: its validator is the signature's own hash.
        return sha256Hex(signatureBytes);
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String printable(String name) {
        return name.length() > 200 ? name.substring(0, 200) + "..." : name.replaceAll("\\p{Cntrl}", "?");
    }

    /** Whether {@code project} is a project name as the origin's URLs spell it (normalized). */
    public static boolean isNormalized(String project) {
        return ProjectName.isValid(project) && ProjectName.normalize(project).equals(project);
    }
}
