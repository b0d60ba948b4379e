package dev.signet.provenance;

/** Which PEP 740 check a provenance object failed; {@link #tag()} is the bounded metric tag. */
public enum ProvenanceFailure {
    /** Not a PEP 740 provenance object (JSON shape, version, base64, certificate, too many attestations). */
    MALFORMED("provenance_malformed"),
    /** The Sigstore checks: certificate chain to Fulcio, DSSE signature, transparency log entry, signing time. */
    SIGNATURE("provenance_signature"),
    /** The signed statement is not about this file: subject name or sha256, subject count, statement type. */
    SUBJECT("provenance_subject"),
    /** The signing certificate was not issued to the Trusted Publisher the provenance names. */
    PUBLISHER("provenance_publisher");

    private final String tag;

    ProvenanceFailure(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
