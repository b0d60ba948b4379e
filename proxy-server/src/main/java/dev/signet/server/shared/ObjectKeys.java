package dev.signet.server.shared;

import dev.signet.store.ArtifactKey;

/**
 * Where an artifact lives in the bucket: {@code PREFIX artifacts/PROJECT/FILENAME}. Every edge names an artifact the
 * same way, so a fleet holds one object per artifact; edges never write different objects under one name because
 * what they write is the file they verified, and a conditional write keeps the first. The name is not trusted either:
 * an object under the wrong name fails the signature's {@code file:} check when it is read.
 */
final class ObjectKeys {

    private final String prefix;

    ObjectKeys(String prefix) {
        this.prefix = prefix;
    }

    String of(ArtifactKey key) {
        return prefix + "artifacts/" + key.project() + "/" + key.filename();
    }

    /**
     * The sidecar of a signature too large for object metadata ({@link SignatureMetadata}): {@code PREFIX
     * signatures/PROJECT/FILENAME.minisig}, apart from the artifacts so that no artifact's name can be a sidecar's.
     */
    String signatureOf(ArtifactKey key) {
        return prefix + "signatures/" + key.project() + "/" + key.filename() + ".minisig";
    }
}
