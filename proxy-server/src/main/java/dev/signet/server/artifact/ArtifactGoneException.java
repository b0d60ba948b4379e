package dev.signet.server.artifact;

/**
 * What a fill committed was removed (purged) before it could be served, again and again: {@code 503}, which installers
 * retry. Nothing unverified is involved; the client simply gets no bytes this time.
 */
public final class ArtifactGoneException extends RuntimeException {
    public ArtifactGoneException(String message) {
        super(message, null, false, false);
    }
}
