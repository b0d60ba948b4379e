package dev.signet.store;

/** The decoded content of a sidecar file. */
record Sidecar(ArtifactRecord record, FileIdentity identity) {
}
