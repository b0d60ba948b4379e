package dev.signet.publish;

import dev.signet.pages.PageComment;

/**
 * A project page as a signing origin publishes it: both forms' exact bytes, the page signature and its signed fields.
 * The byte arrays are the published files' contents; callers must not change them.
 */
public record MirroredPage(String project, byte[] html, byte[] json, byte[] signature, PageComment comment) {
}
