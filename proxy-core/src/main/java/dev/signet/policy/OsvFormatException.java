package dev.signet.policy;

/** An OSV export that cannot be used, with what is wrong and where (the entry name). Nothing of it is used. */
public final class OsvFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    public OsvFormatException(String message) {
        super(message);
    }

    public OsvFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
