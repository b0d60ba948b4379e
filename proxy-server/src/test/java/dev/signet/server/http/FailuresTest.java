package dev.signet.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.artifact.ArtifactGoneException;
import dev.signet.server.artifact.ArtifactNotListedException;
import dev.signet.server.index.PageMemoryExhaustedException;
import dev.signet.server.index.ProjectNotFoundException;
import dev.signet.server.metrics.OutOfMemory;
import dev.signet.server.upstream.UpstreamException;
import dev.signet.sig.VerificationException;
import dev.signet.sig.VerificationFailure;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void refusalsAre403AbsenceIs404UpstreamTroubleIs502Or504() {
        Failures refused = Failures.of(new CompletionException(
                new VerificationException(VerificationFailure.UNKNOWN_KEY, "a-1.0.whl", "detail")));
        assertThat(refused.status().code()).isEqualTo(403);
        assertThat(refused.verifyOutcome()).isEqualTo(VerificationFailure.UNKNOWN_KEY.tag());

        assertThat(Failures.of(new ProjectNotFoundException("no such project")).status().code()).isEqualTo(404);
        assertThat(Failures.of(new ArtifactNotListedException("not listed")).status().code()).isEqualTo(404);
        assertThat(Failures.of(UpstreamException.status(404, "http://up/x")).status().code()).isEqualTo(404);
        assertThat(Failures.of(UpstreamException.status(500, "http://up/x")).status().code()).isEqualTo(502);
        assertThat(Failures.of(new UpstreamException(UpstreamException.Kind.TIMEOUT, "slow")).status().code()).isEqualTo(504);
    }

    @Test
    void anArtifactPurgedUnderEveryFetchIs503SoInstallersRetry() {
        Failures gone = Failures.of(new CompletionException(new ArtifactGoneException("a-1.0.whl was removed")));
        assertThat(gone.status().code()).isEqualTo(503);
        assertThat(gone.message()).isEqualTo("a-1.0.whl was removed");
        assertThat(gone.unexpected()).isFalse();
    }

    @Test
    void anOutOfMemoryErrorIsLoggedCountedAndAnswered503NotA500() {
        long before = OutOfMemory.count();
        Failures oom = Failures.of(new CompletionException(new OutOfMemoryError("Java heap space")));
        assertThat(oom.status().code()).isEqualTo(503);
        assertThat(oom.message()).isEqualTo("busy: out of memory; try again");
        assertThat(OutOfMemory.count()).as("counted (signet.jvm.oom)").isEqualTo(before + 1);
        assertThat(OutOfMemory.report(new IllegalStateException("wrapped", new OutOfMemoryError("Direct buffer memory")), "a test"))
                .as("found as a cause too").isTrue();
        assertThat(OutOfMemory.count()).isEqualTo(before + 2);
        assertThat(OutOfMemory.report(new IllegalStateException("not an OOM"), "a test")).isFalse();
    }

    @Test
    void pagesOverTheFetchBudgetAre503WithTheirReason() {
        Failures busy = Failures.of(new CompletionException(new PageMemoryExhaustedException("busy: pages in flight")));
        assertThat(busy.status().code()).isEqualTo(503);
        assertThat(busy.message()).isEqualTo("busy: pages in flight");
    }

    @Test
    void anythingElseIsAnInternalErrorThatNamesOnlyTheExceptionType() {
        Failures internal = Failures.of(new IllegalStateException("secret detail"));
        assertThat(internal.status().code()).isEqualTo(500);
        assertThat(internal.message()).isEqualTo("internal error: IllegalStateException");
        assertThat(internal.unexpected()).isTrue();
    }
}
