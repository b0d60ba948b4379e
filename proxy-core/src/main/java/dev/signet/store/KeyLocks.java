package dev.signet.store;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises the multi-step operations (commit, lookup, remove, refresh, scan) on one key, so a
 * lookup never sees a commit half done and two commits never pair one fill's data with the
 * other's record. Striped: memory stays bounded however many keys there are.
 */
final class KeyLocks {

    private static final int STRIPES = 64;

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    KeyLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    ReentrantLock lockFor(ArtifactKey key) {
        // Fibonacci hashing spreads record hash codes, whose low bits cluster.
        int spread = key.hashCode() * 0x9E3779B9;
        return stripes[spread >>> (Integer.SIZE - Integer.numberOfTrailingZeros(STRIPES))];
    }
}
