package dev.signet.pages;

import dev.signet.sig.KeyId;

/**
 * A page whose signature and content passed every check: its signed fields, the SHA-256 of its bytes, the key that
 * signed it, and the history to persist before it is served.
 */
public record VerifiedPage(PageComment comment, String sha256Hex, KeyId keyId, PageHistory history) {}
