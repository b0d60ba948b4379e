package dev.signet.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The access log's appender: the logging thread (an event loop) only enqueues; one writer thread encodes and writes
 * the lines in batches, a few system calls for many lines.
 *
 * <p>Why not logback's {@code AsyncAppender} in front of a {@code ConsoleAppender}: that pair wakes its writer through a
 * lock and condition for each event and writes (one system call) each line on its own. At tens of thousands of
 * requests a second on a small machine the wake-ups and context switches cost more than serving a cached artifact
 * (measured with {@code bench/run.sh}: about a third of the CPU per ~70 KB hit). Here producers never signal while the
 * writer is busy; the writer polls every {@code maxDelayMillis} under load and only sleeps until woken when the queue
 * has stayed empty, so a quiet proxy costs no wake-ups either.
 *
 * <p>Lines are written to the target stream in chunks of at most {@value #CHUNK_BYTES} bytes that end at a line end, so
 * a line never interleaves with another writer's on a pipe (POSIX keeps writes of up to 4 KiB atomic). Like
 * {@code AsyncAppender} with {@code neverBlock}, it drops lines rather than block a logging thread when
 * {@code queueSize} lines are waiting; it then writes one line saying how many it dropped.
 */
public final class BatchingConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    static final int CHUNK_BYTES = 4096;
    /** Empty polls in a row before the writer sleeps until a producer wakes it. */
    private static final int IDLE_POLLS_BEFORE_SLEEP = 4;

    private Encoder<ILoggingEvent> encoder;
    private int queueSize = 8192;
    private long maxDelayMillis = 5;
    private Supplier<PrintStream> target = () -> System.err;
    private String badTarget;

    private final Queue<ILoggingEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    /** Set by the writer before it sleeps without a timeout; whoever enqueues next wakes it. */
    private volatile boolean sleeping;
    private volatile boolean running;
    private Thread writer;

    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    /** Lines that may wait to be written before further lines are dropped. */
    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    /** Longest a line waits under load before it is written (the writer's polling interval). */
    public void setMaxDelayMillis(long maxDelayMillis) {
        this.maxDelayMillis = maxDelayMillis;
    }

    /** {@code System.err} (the default) or {@code System.out}; looked up at each write, as ConsoleAppender does. */
    public void setTarget(String name) {
        switch (name) {
            case "System.err" -> target = () -> System.err;
            case "System.out" -> target = () -> System.out;
            default -> badTarget = name;
        }
    }

    /** Whether the writer is asleep until the next line wakes it (the queue stayed empty); for tests. */
    boolean writerAsleep() {
        return sleeping;
    }

    /** Lines dropped so far because the queue was full. */
    public long droppedLines() {
        return dropped.get();
    }

    @Override
    public void start() {
        int errors = 0;
        if (encoder == null) {
            addError("no encoder set for the appender named '" + name + "'");
            errors++;
        }
        if (queueSize < 1) {
            addError("queueSize must be at least 1, got " + queueSize);
            errors++;
        }
        if (maxDelayMillis < 1) {
            addError("maxDelayMillis must be at least 1, got " + maxDelayMillis);
            errors++;
        }
        if (badTarget != null) {
            addError("target must be System.err or System.out, not '" + badTarget + "'");
            errors++;
        }
        if (errors > 0) {
            return;
        }
        running = true;
        writer = new Thread(this::writeUntilStopped, "signet-log-" + name);
        writer.setDaemon(true);
        writer.start();
        super.start();
    }

    /** Stops accepting lines and writes every line already queued before returning (bounded wait). */
    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (queued.incrementAndGet() > queueSize) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        try {
            // The writer formats later on its own thread: capture what depends on this thread (name, MDC) now.
            event.prepareForDeferredProcessing();
        } catch (RuntimeException e) {
            queued.decrementAndGet();
            throw e;
        }
        queue.offer(event);
        if (sleeping) {
            sleeping = false;
            LockSupport.unpark(writer);
        }
    }

    private void writeUntilStopped() {
        ChunkedWriter out = new ChunkedWriter();
        int idlePolls = 0;
        while (true) {
            boolean wrote = drain(out);
            if (wrote) {
                idlePolls = 0;
                continue;
            }
            if (!running) {
                // Stopped: append() no longer runs, so one last drain leaves nothing behind.
                drain(out);
                return;
            }
            if (++idlePolls < IDLE_POLLS_BEFORE_SLEEP) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(maxDelayMillis));
                continue;
            }
            // Quiet: sleep until the next line. The re-check after announcing it closes the race with a producer that
            // enqueued just before reading 'sleeping' (both fields are volatile, so one of the two sees the other).
            sleeping = true;
            if (queue.isEmpty() && running) {
                LockSupport.park(this);
            }
            sleeping = false;
            idlePolls = 0;
        }
    }

    /** Writes everything queued now; returns whether there was anything. */
    private boolean drain(ChunkedWriter out) {
        ILoggingEvent event = queue.poll();
        if (event == null) {
            reportDrops(out);
            out.flush();
            return false;
        }
        PrintStream stream = target.get();
        out.begin(stream);
        do {
            queued.decrementAndGet();
            try {
                out.line(encoder.encode(event));
            } catch (RuntimeException e) {
                addError("cannot encode a log line", e);
            }
            event = queue.poll();
        } while (event != null);
        reportDrops(out);
        out.flush();
        return true;
    }

    private void reportDrops(ChunkedWriter out) {
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            out.begin(target.get());
            out.line(("signet: " + lost + " log line(s) of '" + name + "' dropped: the writer could not keep up\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Collects encoded lines and writes them in line-aligned chunks of at most {@link #CHUNK_BYTES}. */
    private static final class ChunkedWriter {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(CHUNK_BYTES);
        private PrintStream stream;

        void begin(PrintStream target) {
            if (stream != target) {
                flush();
                stream = target;
            }
        }

        void line(byte[] bytes) {
            if (buffer.size() + bytes.length > CHUNK_BYTES) {
                flush();
            }
            if (bytes.length >= CHUNK_BYTES) {
                write(bytes, bytes.length);
                return;
            }
            buffer.write(bytes, 0, bytes.length);
        }

        void flush() {
            if (buffer.size() > 0 && stream != null) {
                // toByteArray copies; writeTo would go through PrintStream's per-call flush all the same.
                write(buffer.toByteArray(), buffer.size());
            }
            buffer.reset();
        }

        private void write(byte[] bytes, int length) {
            if (stream != null) {
                stream.write(bytes, 0, length);
                stream.flush();
            }
        }
    }
}
