package dev.signet.sig;

import java.util.Objects;

/**
 * An artifact refused by a check. The message is a single line naming the file and the failed check, fit for a
 * {@code 403} body and a log line: untrusted parts (file name, detail) have line breaks and other control
 * characters escaped.
 */
public final class VerificationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final VerificationFailure failure;
    private final String fileName;

    /**
     * @param failure the failed check
     * @param fileName the artifact's file name as requested (escaped in the message)
     * @param detail what exactly failed, or {@code null}
     */
    public VerificationException(VerificationFailure failure, String fileName, String detail) {
        super(message(Objects.requireNonNull(failure, "failure"), Objects.requireNonNull(fileName, "fileName"),
                detail));
        this.failure = failure;
        this.fileName = fileName;
    }

    private static String message(VerificationFailure failure, String fileName, String detail) {
        String head = "refused " + Printable.escape(fileName) + ": " + failure.description();
        return detail == null ? head : head + " (" + Printable.escape(detail) + ")";
    }

    public VerificationFailure failure() {
        return failure;
    }

    /** The file name as given, unescaped. */
    public String fileName() {
        return fileName;
    }
}
