package dev.signet.server.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load generator for soak tests: a fixed number of keep-alive HTTP/1.1 connections driven by one selector thread.
 * Each request is one of four kinds: a full read of an artifact (checked byte for byte against its SHA-256), a page,
 * a slow read of a large artifact (a few KiB at a time with pauses, also checked), or a client that vanishes after a
 * random part of the answer (plain close or reset). A vanished connection is replaced by a new one, so the number of
 * open connections stays put until the run ends. Bounded: it stops issuing requests at its deadline and gives
 * requests in flight a grace period, after which they count as stalled.
 */
public final class SoakLoad {

    /** An artifact the load may ask for: its path and the SHA-256 its bytes must have. */
    public record Target(String path, String sha256, long length) {}

    public enum Kind { FULL, PAGE, SLOW, VANISH }

    /** What happened: requests by kind and outcome, the X-Signet-Cache values seen, and every failure (bounded). */
    public static final class Results {
        private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
        private final List<String> failures = new ArrayList<>();

        void count(String what) {
            counts.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
        }

        synchronized void fail(String failure) {
            count("failed");
            if (failures.size() < 50) {
                failures.add(failure);
            }
        }

        public long count(Kind kind, String outcome) {
            AtomicLong n = counts.get(kind.name().toLowerCase(Locale.ROOT) + "." + outcome);
            return n == null ? 0 : n.get();
        }

        public long countOf(String what) {
            AtomicLong n = counts.get(what);
            return n == null ? 0 : n.get();
        }

        public synchronized List<String> failures() {
            return List.copyOf(failures);
        }

        public Map<String, Long> all() {
            Map<String, Long> out = new TreeMap<>();
            counts.forEach((k, v) -> out.put(k, v.get()));
            return out;
        }
    }

    private static final byte[] HEAD_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int SLOW_READ_BYTES = 16 * 1024;
    private static final long SLOW_PAUSE_NANOS = 50_000_000L;

    private final InetSocketAddress server;
    private final List<Target> smallTargets;
    private final List<Target> largeTargets;
    private final List<String> pages;
    private final Random random;
    private final Results results = new Results();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    /** Past the deadline slow readers read at full speed, so that the grace period drains what is in flight. */
    private boolean draining;

    public SoakLoad(InetSocketAddress server, List<Target> smallTargets, List<Target> largeTargets, List<String> pages,
            long seed) {
        this.server = server;
        this.smallTargets = List.copyOf(smallTargets);
        this.largeTargets = List.copyOf(largeTargets);
        this.pages = List.copyOf(pages);
        this.random = new Random(seed);
    }

    /** Runs {@code connections} connections for {@code runNanos}, then lets requests in flight finish. Blocking. */
    public Results run(int connections, long runNanos, long graceNanos) throws IOException {
        try (Selector selector = Selector.open()) {
            List<Connection> all = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                all.add(open(selector));
            }
            long start = System.nanoTime();
            long stopIssuing = start + runNanos;
            long giveUp = stopIssuing + graceNanos;
            while (true) {
                long now = System.nanoTime();
                boolean issuing = now < stopIssuing;
                draining = !issuing;
                for (int i = 0; i < all.size(); i++) {
                    Connection c = all.get(i);
                    if (c.closed) {
                        if (issuing) {
                            all.set(i, open(selector));
                        }
                        continue;
                    }
                    if (c.idle && issuing) {
                        c.begin(pick());
                    } else if (c.idle) {
                        c.close(false);
                    } else if (c.pausedUntil != 0 && now >= c.pausedUntil) {
                        c.pausedUntil = 0;
                        c.key.interestOps(SelectionKey.OP_READ);
                    }
                }
                if (!issuing && all.stream().allMatch(c -> c.closed)) {
                    break;
                }
                if (now > giveUp) {
                    for (Connection c : all) {
                        if (!c.closed) {
                            results.fail("stalled: " + c.describe());
                            c.close(false);
                        }
                    }
                    break;
                }
                selector.select(10);
                for (SelectionKey key : selector.selectedKeys()) {
                    Connection c = (Connection) key.attachment();
                    try {
                        if (key.isValid() && key.isConnectable()) {
                            c.finishConnect();
                        } else if (key.isValid() && key.isWritable()) {
                            c.write();
                        } else if (key.isValid() && key.isReadable()) {
                            c.read();
                        }
                    } catch (IOException e) {
                        if (c.kind == Kind.VANISH) {
                            results.count("vanish.done");
                        } else {
                            results.fail(c.describe() + ": " + e);
                        }
                        c.close(false);
                    }
                }
                selector.selectedKeys().clear();
            }
        }
        return results;
    }

    /** The receive buffer of each client socket (see {@link #open}). */
    private static final int CLIENT_RECEIVE_BUFFER = 256 << 10;

    private Connection open(Selector selector) throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        // Both ends share one kernel here. A thousand client sockets auto-tuning their receive buffers towards
        // net.ipv4.tcp_rmem's maximum (32 MiB on these machines) put the whole kernel's TCP into memory pressure:
        // it then drops segments on loopback (TCPRcvQDrop, TCPMemoryPressures in nstat), and BBR's bandwidth model
        // collapses to a few KB/s for the connections hit, which looked like stalled slow readers. Real clients sit
        // in other kernels; a fixed, ordinary buffer keeps the soak about Signet. Signet's own sockets keep the
        // defaults, so its send buffer (up to 4 MiB) still holds much of an 8 MiB answer, as the keep-alive
        // defect this soak found needs.
        ch.setOption(StandardSocketOptions.SO_RCVBUF, CLIENT_RECEIVE_BUFFER);
        Connection c = new Connection(ch);
        c.key = ch.register(selector, SelectionKey.OP_CONNECT, c);
        if (ch.connect(server)) {
            c.finishConnect();
        }
        results.count("connections.opened");
        return c;
    }

    private Kind pick() {
        int roll = random.nextInt(100);
        if (roll < 65) {
            return Kind.FULL;
        }
        if (roll < 77) {
            return Kind.PAGE;
        }
        if (roll < 82) {
            return Kind.SLOW;
        }
        return Kind.VANISH;
    }

    private final class Connection {
        final SocketChannel ch;
        SelectionKey key;
        boolean connected;
        boolean idle;
        boolean closed;
        Kind kind;
        Target target;
        String path;
        ByteBuffer request;
        final java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
        boolean inBody;
        int status;
        long remaining;
        long received;
        String cache = "-";
        boolean keepAlive;
        MessageDigest sha256;
        long vanishAfter;
        long pausedUntil;
        long startedNanos;
        long lastBytesNanos;
        int requestsOnConnection;

        Connection(SocketChannel ch) {
            this.ch = ch;
        }

        void finishConnect() throws IOException {
            if (ch.finishConnect()) {
                connected = true;
                idle = true;
                key.interestOps(0);
            }
        }

        void begin(Kind chosen) {
            kind = chosen;
            startedNanos = System.nanoTime();
            lastBytesNanos = 0;
            requestsOnConnection++;
            head.reset();
            inBody = false;
            status = 0;
            received = 0;
            cache = "-";
            pausedUntil = 0;
            String accept = "";
            switch (kind) {
                case PAGE -> {
                    target = null;
                    path = pages.get(random.nextInt(pages.size()));
                    accept = random.nextBoolean() ? "Accept: application/vnd.pypi.simple.v1+json\r\n" : "";
                }
                case SLOW -> {
                    target = largeTargets.get(random.nextInt(largeTargets.size()));
                    path = target.path();
                }
                default -> {
                    List<Target> from = random.nextInt(10) == 0 ? largeTargets : smallTargets;
                    target = from.get(random.nextInt(from.size()));
                    path = target.path();
                }
            }
            vanishAfter = kind == Kind.VANISH ? (long) (random.nextDouble() * target.length()) : Long.MAX_VALUE;
            sha256 = newSha256();
            request = ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: " + server.getHostString() + ":"
                    + server.getPort() + "\r\n" + accept + "User-Agent: signet-soak\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            idle = false;
            key.interestOps(SelectionKey.OP_WRITE);
        }

        void write() throws IOException {
            ch.write(request);
            if (!request.hasRemaining()) {
                key.interestOps(SelectionKey.OP_READ);
            }
        }

        void read() throws IOException {
            readBuffer.clear();
            if (kind == Kind.SLOW && inBody && !draining) {
                readBuffer.limit(SLOW_READ_BYTES);
            }
            int n = ch.read(readBuffer);
            if (n > 0) {
                lastBytesNanos = System.nanoTime();
            }
            if (n < 0) {
                if (kind == Kind.VANISH) {
                    results.count("vanish.done");
                } else {
                    results.fail(describe() + ": connection closed by Signet after " + received + " body bytes");
                }
                close(false);
                return;
            }
            readBuffer.flip();
            while (readBuffer.hasRemaining() && !closed && !idle) {
                if (!inBody) {
                    readHead();
                } else {
                    readBody();
                }
            }
            if (kind == Kind.SLOW && inBody && !closed && !idle && !draining) {
                pausedUntil = System.nanoTime() + SLOW_PAUSE_NANOS;
                key.interestOps(0);
            }
        }

        private void readHead() {
            while (readBuffer.hasRemaining()) {
                head.write(readBuffer.get());
                byte[] h = head.toByteArray();
                if (h.length >= 4 && endsWithHeadEnd(h)) {
                    parseHead(new String(h, StandardCharsets.ISO_8859_1));
                    return;
                }
                if (h.length > 64 * 1024) {
                    results.fail(describe() + ": response head over 64 KiB");
                    close(false);
                    return;
                }
            }
        }

        private void parseHead(String text) {
            String[] lines = text.split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            status = Integer.parseInt(statusLine[1]);
            remaining = -1;
            keepAlive = true;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = lines[i].substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> remaining = Long.parseLong(value);
                    case "x-signet-cache" -> cache = value;
                    case "connection" -> keepAlive = !value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            if (remaining < 0) {
                results.fail(describe() + ": no Content-Length in " + lines[0]);
                close(false);
                return;
            }
            inBody = true;
            if (remaining == 0) {
                finish();
            }
        }

        private void readBody() {
            int n = (int) Math.min(readBuffer.remaining(), remaining);
            if (kind == Kind.VANISH && received + n >= vanishAfter) {
                results.count("vanish.done");
                close(random.nextBoolean());
                return;
            }
            ByteBuffer slice = readBuffer.slice(readBuffer.position(), n);
            sha256.update(slice);
            readBuffer.position(readBuffer.position() + n);
            received += n;
            remaining -= n;
            if (remaining == 0) {
                finish();
            }
        }

        private void finish() {
            String what = kind.name().toLowerCase(Locale.ROOT);
            if (status != 200) {
                results.fail(describe() + ": status " + status);
            } else if (target != null && !HexFormat.of().formatHex(sha256.digest()).equals(target.sha256())) {
                results.fail(describe() + ": body differs from the signed file (" + received + " bytes)");
            } else {
                results.count(what + ".ok");
                if (target != null) {
                    results.count("cache." + cache);
                    results.count("bytes.verified");
                    results.counts.computeIfAbsent("bytes.artifacts", k -> new AtomicLong()).addAndGet(received);
                }
            }
            if (kind == Kind.VANISH) {
                // It read the whole answer before it could vanish: a completed answer like any other.
                results.count("vanish.completed-first");
            }
            if (!keepAlive) {
                close(false);
                return;
            }
            idle = true;
            key.interestOps(0);
            if (readBuffer.hasRemaining()) {
                results.fail(describe() + ": " + readBuffer.remaining() + " bytes after the end of the answer");
                close(false);
            }
        }

        private boolean endsWithHeadEnd(byte[] h) {
            for (int i = 0; i < 4; i++) {
                if (h[h.length - 4 + i] != HEAD_END[i]) {
                    return false;
                }
            }
            return true;
        }

        void close(boolean reset) {
            if (closed) {
                return;
            }
            closed = true;
            key.cancel();
            try {
                if (reset && ch.isOpen()) {
                    ch.setOption(StandardSocketOptions.SO_LINGER, 0);
                }
                ch.close();
            } catch (IOException ignored) {
                // Closing is all that is left to do with it.
            }
        }

        private String localPort() {
            try {
                return ch.getLocalAddress() instanceof InetSocketAddress local ? Integer.toString(local.getPort()) : "?";
            } catch (IOException e) {
                return "?";
            }
        }

        String describe() {
            return kind + " " + path + " from port " + localPort() + " (status " + status + ", " + received + " body bytes, cache " + cache + ", request "
                    + requestsOnConnection + " on its connection, sent " + (System.nanoTime() - startedNanos) / 1_000_000
                    + " ms ago, last bytes received " + (lastBytesNanos == 0 ? "never"
                    : (System.nanoTime() - lastBytesNanos) / 1_000_000 + " ms ago") + ", reading "
                    + (closed ? "closed" : key.isValid() && (key.interestOps() & SelectionKey.OP_READ) != 0 ? "on"
                    : pausedUntil != 0 ? "paused" : "off") + ")";
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
