package dev.signet.server.http;

import dev.signet.http.FillRedirectPolicy;
import dev.signet.server.artifact.FillRegistry;
import dev.signet.store.ArtifactKey;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request waiting for an artifact that has no verdict yet. While it waits it counts as a waiter of that artifact
 * (shown by {@code GET /fills}); when {@link FillRedirectPolicy} says so it is answered {@code 307} to the same artifact
 * with the next hop number, so that the client's read timeout starts again on a new request that joins the same fill
 * (only while a fill runs: a re-verification of a cached copy is the request's own work, which a hop would repeat).
 * A redirect carries no byte of the artifact and says nothing about it: the verdict, a file or a refusal, is given
 * only to a request that is still waiting when it arrives. Everything here runs on the request's event loop.
 */
final class FillWait {

    /** {@code X-Signet-Cache} and the access log's {@code cache=} of a redirect hop. */
    static final String FILLING = "filling";

    private final HttpExchange exchange;
    private final ArtifactKey key;
    private final FillRedirectPolicy policy;
    private final FillRegistry registry;
    private final int hop;
    private final int hopLimit;
    private final FillRegistry.Waiting waiting;
    private final ChannelFutureListener closed = future -> stopWaiting();
    private ScheduledFuture<?> timer;
    /** Set once: by the redirect, or by the verdict; whichever comes first answers the request. */
    private boolean answered;

    private FillWait(HttpExchange exchange, ArtifactKey key, FillRedirectPolicy policy, FillRegistry registry) {
        this.exchange = exchange;
        this.key = key;
        this.policy = policy;
        this.registry = registry;
        this.hop = FillRedirectPolicy.hopOf(exchange.uri());
        this.hopLimit = FillRedirectPolicy.hopLimit(exchange.requestHeaders().get(HttpHeaderNames.USER_AGENT));
        this.waiting = registry.waiting(key);
    }

    /** Starts waiting on the event loop of {@code exchange}. */
    static FillWait start(HttpExchange exchange, ArtifactKey key, FillRedirectPolicy policy, FillRegistry registry) {
        FillWait wait = new FillWait(exchange, key, policy, registry);
        exchange.ctx().channel().closeFuture().addListener(wait.closed);
        wait.check();
        return wait;
    }

    /**
     * The verdict arrived. Returns whether this request should be answered with it: false when it was already
     * redirected (the client has moved on to its next hop).
     */
    boolean verdict() {
        if (answered) {
            return false;
        }
        answered = true;
        stopWaiting();
        return true;
    }

    private void check() {
        if (answered || !exchange.ctx().channel().isActive()) {
            return;
        }
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - exchange.startNanos());
        FillRedirectPolicy.Decision decision = policy.decide(waitedMillis, hop, hopLimit);
        if (decision instanceof FillRedirectPolicy.Decision.Wait wait) {
            timer = exchange.ctx().executor().schedule(this::check, wait.millis(), TimeUnit.MILLISECONDS);
        } else if (decision instanceof FillRedirectPolicy.Decision.Redirect redirect) {
            if (!registry.isFilling(key)) {
                // Waiting for a re-verification of a cached copy, which this request runs for itself: a next hop would
                // start another one rather than join it. Ask again later, when a fill may have started.
                timer = exchange.ctx().executor().schedule(this::check, policy.redirectAfter().toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            answered = true;
            stopWaiting();
            redirect(redirect.nextHop());
        }
        // Hold: nothing to schedule; the verdict answers the request whenever it comes.
    }

    private void redirect(int nextHop) {
        String path = Route.PACKAGES + PathSegment.encode(key.project()) + "/" + PathSegment.encode(key.filename());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.TEMPORARY_REDIRECT, Unpooled.EMPTY_BUFFER);
        response.headers().set(HttpHeaderNames.LOCATION, FillRedirectPolicy.location(path, nextHop));
        // Never stored: the next hop must reach Signet, and an answer that says "not yet" is true only now.
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        response.headers().set(ArtifactResponder.CACHE_STATUS, FILLING);
        exchange.cacheOutcome(FILLING);
        exchange.verifyOutcome("pending");
        registry.redirected();
        exchange.sendFull(response);
    }

    private void stopWaiting() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        waiting.close();
        ChannelFuture closeFuture = exchange.ctx().channel().closeFuture();
        closeFuture.removeListener(closed);
    }
}
