package dev.signet.index;

/** An upstream index page could not be understood; the message names what was wrong, on one line. */
public final class IndexFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    public IndexFormatException(String message) {
        super(message);
    }

    public IndexFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
