/**
 * Crash-safe on-disk artifact store.
 *
 * <p>The store keeps bytes plus a record of how they were verified; it knows nothing about what a
 * signature means. Layout under the root directory:
 * <pre>
 *   store.lock                                  held while a process has the store open
 *   tmp/                                        temp files of fills and sidecars; emptied by open()
 *   artifacts/&lt;project&gt;/&lt;filename&gt;            data file
 *   artifacts/&lt;project&gt;/&lt;filename&gt;.signet     sidecar: versioned JSON record + file identity
 * </pre>
 *
 * <p>Invariants: nothing half-written ever looks valid (every file appears by an atomic rename of a
 * fsynced temp file from {@code tmp/}, which lives on the same filesystem); an entry exists only
 * when both its data file and a well-formed sidecar exist; an entry is trusted only while the data
 * file's {@link dev.signet.store.FileIdentity} matches the one recorded at commit.
 *
 * <p>Every method does blocking disk I/O: call it from a worker pool, never from an event loop.
 */
package dev.signet.store;
