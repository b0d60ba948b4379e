package dev.signet.server.index;

/** The upstream does not know the project (or the file): the client gets {@code 404}, which installers read as "absent". */
public final class ProjectNotFoundException extends Exception {

    /** Whether the "not found" came from the negative cache ({@code negative-ttl}) rather than a fresh upstream answer. */
    private final boolean remembered;

    public ProjectNotFoundException(String message) {
        this(message, false);
    }

    public ProjectNotFoundException(String message, boolean remembered) {
        super(message, null, false, false);
        this.remembered = remembered;
    }

    public boolean remembered() {
        return remembered;
    }
}
