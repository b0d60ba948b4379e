package dev.signet.publish;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * How a publish run signs and writes.
 *
 * @param fileSigner   signs every distribution and {@code .metadata} file
 * @param pageSigner   signs the JSON pages; empty writes unsigned pages (test upstreams that predate signed pages)
 * @param withMetadata whether wheels get PEP 658 {@code .metadata} files
 * @param expires      lifetime of a page signature
 * @param threads      files processed at once (hashing and signing are CPU-bound)
 * @param clock        signing times, expiry and upload times
 * @param progress     told about every file and page as it is done
 * @param linkInputs   hard-link each input into {@code packages/} instead of copying it, where both are on one
 *                     filesystem (else it is copied): no bytes written, but the input and the published file are then
 *                     one file, so the input must never be changed in place afterwards (docs/signed-index.md, 7)
 */
public record PublishOptions(FileSigner fileSigner, Optional<PageSigner> pageSigner, boolean withMetadata,
        Duration expires, int threads, InstantSource clock, PublishProgress progress, boolean linkInputs) {

    public static final Duration DEFAULT_EXPIRES = Duration.ofDays(7);

    /** Inputs are copied. */
    public PublishOptions(FileSigner fileSigner, Optional<PageSigner> pageSigner, boolean withMetadata,
            Duration expires, int threads, InstantSource clock, PublishProgress progress) {
        this(fileSigner, pageSigner, withMetadata, expires, threads, clock, progress, false);
    }

    public PublishOptions {
        Objects.requireNonNull(fileSigner, "fileSigner");
        Objects.requireNonNull(pageSigner, "pageSigner");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(progress, "progress");
        if (expires.isNegative() || expires.isZero()) {
            throw new IllegalArgumentException("page expiry must be positive: " + expires);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
    }

    /** One key for files and pages, metadata files, the default expiry, {@link #defaultThreads()}. */
    public static PublishOptions withKey(KeySigner signer) {
        return new PublishOptions(signer, Optional.of(signer), true, DEFAULT_EXPIRES, defaultThreads(),
                InstantSource.system(), PublishProgress.NONE);
    }

    /**
     * Twice the cores, at least 4: hashing and signing keep the cores busy, and the extra workers cover the time a
     * worker waits on open, rename and the disk (measured: workers of a 2-core run spent most of it in open(2)).
     */
    public static int defaultThreads() {
        return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    }

    public PublishOptions withExpires(Duration value) {
        return new PublishOptions(fileSigner, pageSigner, withMetadata, value, threads, clock, progress, linkInputs);
    }

    public PublishOptions withClock(InstantSource value) {
        return new PublishOptions(fileSigner, pageSigner, withMetadata, expires, threads, value, progress, linkInputs);
    }

    public PublishOptions withProgress(PublishProgress value) {
        return new PublishOptions(fileSigner, pageSigner, withMetadata, expires, threads, clock, value, linkInputs);
    }

    public PublishOptions withThreads(int value) {
        return new PublishOptions(fileSigner, pageSigner, withMetadata, expires, value, clock, progress, linkInputs);
    }

    public PublishOptions withLinkInputs(boolean value) {
        return new PublishOptions(fileSigner, pageSigner, withMetadata, expires, threads, clock, progress, value);
    }
}
