package dev.signet.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import dev.signet.server.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BatchingConsoleAppenderTest {

    private final PrintStream originalOut = System.out;
    private final RecordingStream console = new RecordingStream();
    private final LoggerContext context = new LoggerContext();
    private final BatchingConsoleAppender appender = new BatchingConsoleAppender();
    private Logger logger;

    @BeforeEach
    void setUp() {
        // System.out, not System.err: the build's own test output goes to both, and a test must only see its lines.
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
        context.setMDCAdapter(new LogbackMDCAdapter());
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        appender.setContext(context);
        appender.setName("TEST");
        appender.setEncoder(encoder);
        appender.setTarget("System.out");
        logger = context.getLogger("signet.access");
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
        logger.addAppender(appender);
    }

    @AfterEach
    void tearDown() {
        appender.stop();
        context.stop();
        System.setOut(originalOut);
    }

    @Test
    void writesEveryLineInOrderAndStopWritesWhatIsStillQueued() {
        appender.setQueueSize(20_000);
        appender.start();
        for (int i = 0; i < 10_000; i++) {
            logger.info("line {}", i);
        }
        appender.stop();

        List<String> lines = console.lines();
        assertThat(lines).hasSize(10_000);
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i)).isEqualTo("line " + i);
        }
        assertThat(appender.droppedLines()).isZero();
    }

    @Test
    void writesInLineAlignedChunksOfAtMostFourKibibytes() {
        appender.setQueueSize(20_000);
        appender.start();
        String longLine = "x".repeat(BatchingConsoleAppender.CHUNK_BYTES + 100);
        for (int i = 0; i < 2_000; i++) {
            logger.info("line {} {}", i, "y".repeat(i % 97));
        }
        logger.info(longLine);
        appender.stop();

        assertThat(console.writes).isNotEmpty();
        for (byte[] write : console.writes) {
            assertThat(write[write.length - 1]).as("every write ends at a line end").isEqualTo((byte) '\n');
            if (write.length > BatchingConsoleAppender.CHUNK_BYTES) {
                // Only a line that is itself longer than a chunk goes out alone and whole.
                assertThat(new String(write, StandardCharsets.UTF_8)).isEqualTo(longLine + "\n");
            }
        }
        assertThat(console.writes.size()).as("lines are batched, not written one by one").isLessThan(2_000);
        assertThat(console.lines()).hasSize(2_001).endsWith(longLine);
    }

    @Test
    void aLineLoggedAfterAQuietSpellIsWrittenPromptly() {
        appender.setMaxDelayMillis(1);
        appender.start();
        logger.info("first");
        Eventually.await("the first line", Duration.ofSeconds(5), () -> console.lines().contains("first"));
        Eventually.await("the writer asleep until the next line", Duration.ofSeconds(5), appender::writerAsleep);

        logger.info("after the quiet spell");

        Eventually.await("the line logged after the writer went to sleep", Duration.ofSeconds(5),
                () -> console.lines().contains("after the quiet spell"));
    }

    @Test
    void dropsLinesWhenTheQueueIsFullInsteadOfBlockingAndSaysHowMany() throws Exception {
        appender.setQueueSize(10);
        console.blockNextWrite();
        appender.start();
        logger.info("blocks the writer");
        assertThat(console.writeStarted.await(5, TimeUnit.SECONDS)).as("the writer is stuck in a write").isTrue();

        // The writer holds nothing from the queue now: 10 fit, 5 are dropped, and none of these calls blocks.
        for (int i = 0; i < 15; i++) {
            logger.info("queued {}", i);
        }
        assertThat(appender.droppedLines()).isEqualTo(5);
        console.unblock();
        appender.stop();

        List<String> lines = console.lines();
        assertThat(lines).startsWith("blocks the writer", "queued 0").contains("queued 9").doesNotContain("queued 10");
        assertThat(lines).contains("signet: 5 log line(s) of 'TEST' dropped: the writer could not keep up");
    }

    @Test
    void refusesToStartWithoutAnEncoderOrWithNonsenseSettings() {
        BatchingConsoleAppender broken = new BatchingConsoleAppender();
        broken.setContext(context);
        broken.setName("BROKEN");
        broken.setQueueSize(0);
        broken.setMaxDelayMillis(0);
        broken.setTarget("System.in");

        broken.start();

        assertThat(broken.isStarted()).isFalse();
        assertThat(context.getStatusManager().getCopyOfStatusList()).extracting(Status::getMessage)
                .anyMatch(m -> m.contains("no encoder"))
                .anyMatch(m -> m.contains("queueSize must be at least 1"))
                .anyMatch(m -> m.contains("maxDelayMillis must be at least 1"))
                .anyMatch(m -> m.contains("target must be System.err or System.out"));
    }

    /** Records each write the appender makes; can hold the first one to simulate a stuck console. */
    private static final class RecordingStream extends OutputStream {
        final List<byte[]> writes = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch writeStarted = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private volatile boolean block;
        private final ByteArrayOutputStream all = new ByteArrayOutputStream();

        void blockNextWrite() {
            block = true;
        }

        void unblock() {
            release.countDown();
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (block) {
                block = false;
                writeStarted.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] copy = java.util.Arrays.copyOfRange(b, off, off + len);
            writes.add(copy);
            synchronized (all) {
                all.write(copy, 0, copy.length);
            }
        }

        List<String> lines() {
            String text;
            synchronized (all) {
                text = all.toString(StandardCharsets.UTF_8);
            }
            return text.isEmpty() ? List.of() : List.of(text.split("\n"));
        }
    }
}
