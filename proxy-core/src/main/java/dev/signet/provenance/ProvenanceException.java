package dev.signet.provenance;

/** A provenance object failed a check; the message is one line naming the check. */
public final class ProvenanceException extends Exception {

    private static final long serialVersionUID = 1L;

    private final ProvenanceFailure failure;

    public ProvenanceException(ProvenanceFailure failure, String message) {
        super(message, null, false, false);
        this.failure = failure;
    }

    public ProvenanceFailure failure() {
        return failure;
    }
}
