package dev.signet.sig;

/** A key or signature file that does not follow the minisign format exactly. The message is one line. */
public final class SignatureFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    public SignatureFormatException(String message) {
        super(message);
    }
}
