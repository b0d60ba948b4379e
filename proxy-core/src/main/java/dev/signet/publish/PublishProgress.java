package dev.signet.publish;

/**
 * What a publish run has done so far, for a progress bar. Calls come from worker threads (files) and the publishing
 * thread (pages); implementations must be thread-safe.
 */
public interface PublishProgress {
    PublishProgress NONE = new PublishProgress() { };

    /** Files to publish in this run are known (after the inputs were checked). */
    default void started(int files) {
    }

    /** One distribution (and its metadata) is written and signed. */
    default void fileDone(String fileName, long bytes) {
    }

    /** One project's page was switched to its new version (every file it lists is in place). */
    default void pageSwitched(String project) {
    }
}
