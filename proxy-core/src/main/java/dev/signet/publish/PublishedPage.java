package dev.signet.publish;

import dev.signet.pages.PageComment;
import dev.signet.index.ProjectPage;

/** A project page as it is on disk now: the parsed page, its exact bytes and its signature's trusted comment. */
record PublishedPage(ProjectPage page, byte[] json, PageComment comment) {
}
