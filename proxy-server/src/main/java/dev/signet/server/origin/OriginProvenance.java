package dev.signet.server.origin;

import dev.signet.provenance.Provenance;
import dev.signet.provenance.ProvenanceException;
import dev.signet.provenance.TrustedPublisher;
import dev.signet.server.config.ProvenanceConfig;
import dev.signet.server.upstream.Credentials;
import dev.signet.server.upstream.UpstreamClient;
import dev.signet.server.upstream.UpstreamException;
import io.netty.channel.EventLoop;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The origin's PEP 740 step ({@code origin.provenance}, docs/deploy.md): before a distribution is downloaded, its
 * provenance object is fetched from the URL the upstream page gives (PyPI's Integrity API) and parsed, so a malformed
 * one, or a missing one where it is required, is refused before the body; after the download, on a worker, the
 * attestations are verified against the file's name and the sha256 of the bytes fetched. A {@code 404} from the
 * Integrity API means "no provenance"; any other answer but {@code 200} is an upstream failure ({@code 502}, nothing
 * signed), never a reason to sign unchecked.
 */
final class OriginProvenance {

    /** PyPI's provenance objects are a few KiB per attestation. */
    static final int MAX_PROVENANCE_BYTES = 1024 * 1024;
    static final String ACCEPT = "application/vnd.pypi.integrity.v1+json";

    private final ProvenanceConfig config;
    private final URI upstream;
    private final UpstreamClient client;
    private final Credentials credentials;
    private final FileHostPolicy hosts;
    private final Executor workers;

    OriginProvenance(ProvenanceConfig config, URI upstream, UpstreamClient client, Credentials credentials,
            FileHostPolicy hosts, Executor workers) {
        this.config = config;
        this.upstream = upstream;
        this.client = client;
        this.credentials = credentials;
        this.hosts = hosts;
        this.workers = workers;
    }

    /** Why a listed file cannot be signed from its page alone: required provenance the page does not link. */
    static Optional<String> listingRefusal(ProvenanceConfig config, String project, URI provenance) {
        if (provenance == null && config.required(project)) {
            return Optional.of("the upstream page gives no PEP 740 provenance for it (" + (config.pins(project).isEmpty()
                    ? "origin.provenance: require" : "its project has origin.provenance-publishers") + ")");
        }
        return Optional.empty();
    }

    /**
     * The parsed provenance of {@code source}, empty when none is to be checked (off, a {@code .metadata}, or none
     * exists where none is required). Fails with {@link OriginRefusedException} for a malformed or missing one.
     */
    CompletableFuture<Optional<Provenance>> fetch(OriginListing.Source source, String project, EventLoop loop) {
        if (!config.enabled() || source.name().endsWith(OriginListing.METADATA_SUFFIX)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        if (source.provenance() == null) {
            return missing(source, project);
        }
        // A relative link is relative to the project page it was on (PyPI's are absolute).
        URI url = upstream.resolve(project + "/").resolve(source.provenance());
        Optional<String> refused = hosts.refusal(url);
        if (refused.isPresent()) {
            return CompletableFuture.failedFuture(new OriginRefusedException("file_host", "refused to sign "
                    + source.name() + ": its provenance: " + refused.get()));
        }
        Map<String, String> headers = new HashMap<>(credentials.headersFor(url));
        headers.put("Accept", ACCEPT);
        return client.fetch(url, headers, MAX_PROVENANCE_BYTES, loop).thenComposeAsync(response -> {
            if (response.status() == 404 || response.status() == 410) {
                return missing(source, project);
            }
            if (response.status() != 200) {
                return CompletableFuture.failedFuture(UpstreamException.status(response.status(),
                        UpstreamClient.redacted(url)));
            }
            try {
                return CompletableFuture.completedFuture(Optional.of(Provenance.parse(response.body())));
            } catch (ProvenanceException e) {
                return CompletableFuture.failedFuture(refusal(source, e));
            }
        }, workers);
    }

    /**
     * Blocking (a worker): verifies {@code provenance} for the file fetched, whose sha256 matched the page's. Returns
     * the publishers verified, for the log line, or empty when there was nothing to verify.
     */
    Optional<String> verify(OriginListing.Source source, String project, Optional<Provenance> provenance,
            String sha256Hex) throws OriginRefusedException {
        if (provenance.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(config.verifier().verify(provenance.get(), source.name(), sha256Hex,
                    config.pins(project)).stream().map(TrustedPublisher::describe).distinct().toList().toString());
        } catch (ProvenanceException e) {
            throw refusal(source, e);
        }
    }

    private CompletableFuture<Optional<Provenance>> missing(OriginListing.Source source, String project) {
        Optional<String> refused = listingRefusal(config, project, null);
        return refused.isPresent()
                ? CompletableFuture.failedFuture(new OriginRefusedException("provenance_missing", "refused to sign "
                        + source.name() + ": " + refused.get().replace("the upstream page gives no", "the upstream has no")))
                : CompletableFuture.completedFuture(Optional.empty());
    }

    private static OriginRefusedException refusal(OriginListing.Source source, ProvenanceException e) {
        return new OriginRefusedException(e.failure().tag(), "refused to sign " + source.name() + ": "
                + e.getMessage());
    }
}
