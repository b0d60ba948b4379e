package dev.signet.publish;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where one publish run spent its time, for bench/publish.sh and anyone asking why a run was slow: wall time of each
 * step of {@link IndexPublisher#publish}, and the time workers spent in each part of publishing a file (summed over
 * workers, so it can exceed the wall time of the files step). Logged at DEBUG when the run ends.
 */
final class PublishTimings {

    /** Only the publishing thread adds steps, in order. */
    private final Map<String, LongAdder> wall = new java.util.LinkedHashMap<>();
    private final Map<String, LongAdder> worker = new ConcurrentSkipListMap<>();
    private long last = System.nanoTime();

    /** Ends the current step of the publishing thread, naming it; the next step starts now. */
    void step(String name) {
        long now = System.nanoTime();
        add(wall, name, now - last);
        last = now;
    }

    /** Adds {@code nanos} spent by a worker in {@code part}; returns the time now, to chain parts. */
    long worker(String part, long startNanos) {
        long now = System.nanoTime();
        add(worker, part, now - startNanos);
        return now;
    }

    private static void add(Map<String, LongAdder> to, String name, long nanos) {
        to.computeIfAbsent(name, n -> new LongAdder()).add(nanos);
    }

    /** One line: {@code steps (wall): a 1.23 s, b ...; file parts (worker time): c 4.56 s, ...}. */
    String summary() {
        return "steps (wall): " + format(wall) + "; file parts (summed over workers): " + format(worker);
    }

    private static String format(Map<String, LongAdder> times) {
        StringBuilder line = new StringBuilder();
        times.forEach((name, nanos) -> line.append(line.isEmpty() ? "" : ", ").append(name).append(' ')
                .append(String.format(java.util.Locale.ROOT, "%.3f s", nanos.sum() / 1e9)));
        return line.isEmpty() ? "none" : line.toString();
    }
}
