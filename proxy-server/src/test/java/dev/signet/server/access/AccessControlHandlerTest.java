package dev.signet.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.signet.server.testing.Eventually;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A flood of password checks cannot starve authorised clients: checks run on their own bounded pool, a full pool
 * refuses new checks with a fast 503, and a remembered credential needs no check at all.
 */
class AccessControlHandlerTest {

    private static final String ALICE_HASH = AccessPolicyTest.hash("correct horse", 4);
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger stalled = new AtomicInteger();
    private final List<String> threads = new CopyOnWriteArrayList<>();
    private volatile boolean stall;
    /** Real bcrypt, except that while {@link #stall} is set every check waits for {@link #release}. */
    private final PasswordHasher gatedBcrypt = (hash, password) -> {
        threads.add(Thread.currentThread().getName());
        if (stall) {
            stalled.incrementAndGet();
            try {
                release.await(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return PasswordHasher.BCRYPT.matches(hash, password);
    };
    private final PasswordCheckPool pool = new PasswordCheckPool(1, 2);
    private final AccessPolicy policy = new AccessPolicy(List.of(), List.of(new BcryptUser("alice", ALICE_HASH)), pool,
            gatedBcrypt, Duration.ofMinutes(5), Ticker.systemTicker());

    @AfterEach
    void tearDown() {
        release.countDown();
        pool.close();
    }

    /** An embedded channel with a real client address, as the handler reads it. */
    private static final class ClientChannel extends EmbeddedChannel {
        final List<FullHttpRequest> passed = new CopyOnWriteArrayList<>();

        ClientChannel(AccessControlHandler handler) {
            super(false, false);
            pipeline().addLast(handler, new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    passed.add((FullHttpRequest) msg);
                }
            });
            register0();
        }

        private void register0() {
            try {
                register();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return new InetSocketAddress("127.0.0.1", 40000);
        }

        /** Runs the channel's pending tasks until it has written an answer or passed the request on. */
        Object outcome() {
            Object[] result = new Object[1];
            Eventually.await("an answer or a passed request", HANG_GUARD, () -> {
                runPendingTasks();
                Object written = readOutbound();
                if (written != null) {
                    result[0] = written;
                } else if (!passed.isEmpty()) {
                    result[0] = passed.remove(0);
                }
                return result[0] != null;
            });
            return result[0];
        }
    }

    private ClientChannel send(String authorization) {
        ClientChannel channel = new ClientChannel(new AccessControlHandler(policy));
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/simple/");
        request.headers().set(HttpHeaderNames.AUTHORIZATION, authorization);
        channel.writeInbound(request);
        return channel;
    }

    @Test
    void aFullPasswordPoolRefusesNewChecksWith503WhileARememberedCredentialStillPasses() {
        // Alice logs in once: her credential is remembered.
        Object first = send(AccessPolicyTest.basic("alice", "correct horse")).outcome();
        assertThat(first).isInstanceOf(FullHttpRequest.class);
        ReferenceCountUtil.release(first);

        // A flood of wrong passwords: one check runs (and stalls), two wait, and the pool is full.
        stall = true;
        ClientChannel running = send(AccessPolicyTest.basic("alice", "wrong1"));
        Eventually.await("one check running", HANG_GUARD, () -> stalled.get() == 1);
        List<ClientChannel> flood = List.of(running, send(AccessPolicyTest.basic("mallory", "wrong2")),
                send(AccessPolicyTest.basic("alice", "wrong3")));
        Eventually.await("two checks queued", HANG_GUARD, () -> pool.queued() == 2);

        // The next new credential is refused at once, without a check and without waiting.
        ClientChannel busy = send(AccessPolicyTest.basic("bob", "guess"));
        Object refused = busy.outcome();
        assertThat(refused).isInstanceOf(FullHttpResponse.class);
        FullHttpResponse response = (FullHttpResponse) refused;
        assertThat(response.status().code()).isEqualTo(503);
        assertThat(response.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("1");
        assertThat(response.content().toString(StandardCharsets.UTF_8)).isEqualTo("busy: too many password checks waiting; try again\n");
        response.release();
        assertThat(busy.passed).isEmpty();
        assertThat(pool.refused()).as("counted (signet.access.password.refused)").isEqualTo(1);

        // Alice, whose credential is remembered, is let through while the pool is still saturated.
        Object again = send(AccessPolicyTest.basic("alice", "correct horse")).outcome();
        assertThat(again).isInstanceOf(FullHttpRequest.class);
        ReferenceCountUtil.release(again);
        assertThat(stalled.get()).as("the flood is still stuck in the pool").isEqualTo(1);
        assertThat(pool.queued()).isEqualTo(2);

        release.countDown();
        for (ClientChannel c : flood) {
            Object answer = c.outcome();
            assertThat(answer).isInstanceOf(FullHttpResponse.class);
            assertThat(((FullHttpResponse) answer).status().code()).isEqualTo(401);
            ReferenceCountUtil.release(answer);
        }
        assertThat(threads).as("every bcrypt check ran on a password thread, none on a worker or event loop")
                .hasSize(4).allSatisfy(t -> assertThat(t).startsWith(PasswordCheckPool.THREAD_PREFIX));
    }
}
