package dev.signet.server.policy;

import dev.signet.index.ProjectPage;
import dev.signet.server.index.MergedPage;
import dev.signet.store.ArtifactKey;
import java.util.concurrent.CompletableFuture;

/**
 * The serve-time policy step, one interface for the two places it acts: when a project page is published (files the
 * policy refuses are left off it) and when an artifact or its {@code .metadata} is asked for (before any fill: refused
 * with a {@code 403} and a one-line reason). The cached upstream page is never altered; what is left off is decided
 * again whenever {@link #stillCurrent} says the published page is out of date, which the clock alone can cause.
 */
public interface ServePolicy {

    /** The page as the policy shows it, and until when that holds. */
    record FilteredPage(ProjectPage page, long generation, long validUntilMillis, boolean settled,
                        CompletableFuture<Void> checks) {}

    /** No policy: every file listed, nothing refused. */
    ServePolicy NONE = new ServePolicy() {
        @Override
        public CompletableFuture<FilteredPage> filter(String project, MergedPage merged, ProjectPage advertised) {
            return CompletableFuture.completedFuture(new FilteredPage(advertised, 0, Long.MAX_VALUE, true,
                    CompletableFuture.completedFuture(null)));
        }

        @Override
        public boolean stillCurrent(FilteredPage page) {
            return true;
        }

        @Override
        public CompletableFuture<Void> admit(ArtifactKey key) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void served(ArtifactKey key, Throwable error) {
        }
    };

    /**
     * {@code advertised} (the merged page with metadata already decided) without the files the policy refuses now,
     * with PEP 700 {@code upload-time} from signed data. Never fails.
     */
    CompletableFuture<FilteredPage> filter(String project, MergedPage merged, ProjectPage advertised);

    /** Whether a page filtered earlier is still what {@link #filter} would give: same rules, not past its time. */
    boolean stillCurrent(FilteredPage page);

    /**
     * Completes normally when {@code key} may be served; exceptionally with {@link PolicyRefusedException} or, when
     * the signature had to be checked for the file's age and failed, its {@code VerificationException} (both
     * {@code 403}) when not. Nothing of the file's body is fetched first. A refusal remembered for pages is not
     * reused here: the direct request checks again, so a signature fixed upstream is served.
     */
    CompletableFuture<Void> admit(ArtifactKey key);

    /**
     * The outcome of serving {@code key} (null error = served): a lasting refusal is remembered for the page, and a
     * file served after one is put back on it.
     */
    void served(ArtifactKey key, Throwable error);
}
