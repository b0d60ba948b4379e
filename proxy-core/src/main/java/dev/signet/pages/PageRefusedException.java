package dev.signet.pages;

import java.util.Objects;

/** A project page that failed one of the signed-page checks; its message is the one-line reason a client sees. */
public final class PageRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final PageRefusal reason;
    private final String project;

    public PageRefusedException(PageRefusal reason, String project, String detail) {
        super("refused page of " + project + ": " + detail + " (" + reason.tag() + ")");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.project = Objects.requireNonNull(project, "project");
    }

    public PageRefusal reason() {
        return reason;
    }

    public String project() {
        return project;
    }
}
