package dev.signet.server.artifact;

/** The project page does not list the requested file: {@code 404}, nothing is fetched. */
public final class ArtifactNotListedException extends Exception {
    public ArtifactNotListedException(String message) {
        super(message, null, false, false);
    }
}
