package dev.signet.server.index;

/** The upstream does not know the project (or the file): the client gets {@code 404}, which installers read as "absent". */
public final class ProjectNotFoundException extends Exception {
    public ProjectNotFoundException(String message) {
        super(message, null, false, false);
    }
}
