package dev.signet.server.artifact;

/**
 * An artifact that is not in the cache was asked for while Signet runs offline ({@code offline: true}): it is answered
 * at once, without any upstream request. {@code 504 Gateway Timeout}, which is what RFC 9111 (section 5.2.1.7) has a
 * cache answer to {@code only-if-cached} when it holds no stored response. Chosen over the alternatives because:
 * {@code 403} is Signet's word for "refused by a check" and would be counted and read as a refusal; {@code 404} tells
 * installers the file does not exist, which is false (the page lists it) and would be wrong in a log; pip does not retry
 * a 504 (its retry list is 500, 502, 503, 520, 527) and fails the install naming the URL and this reason, and uv retries
 * it a few times quickly before failing, so neither loops, and neither mistakes it for a verification failure.
 */
public final class NotCachedOfflineException extends RuntimeException {
    public NotCachedOfflineException(String filename) {
        super("not cached: " + filename + " is not in the cache and Signet runs offline (offline: true), so it was not"
                + " fetched", null, false, false);
    }
}
