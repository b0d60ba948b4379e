package dev.signet.server.status;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last few refusals (artifacts and signed pages), newest first, for the status page: a bounded ring, so a flood
 * of refusals costs a fixed amount of memory. What it holds came from an upstream (file names, reasons naming them),
 * so whoever shows it escapes it.
 */
public final class RecentRefusals {

    /** One refusal: when, which project and file ({@code null} for a page), the check's tag and the full reason. */
    public record Refusal(Instant at, String project, String file, String check, String reason) {}

    private final int capacity;
    private final InstantSource clock;
    private final ArrayDeque<Refusal> ring;

    public RecentRefusals(int capacity, InstantSource clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.clock = clock;
        this.ring = new ArrayDeque<>(capacity);
    }

    public synchronized void add(String project, String file, String check, String reason) {
        if (ring.size() == capacity) {
            ring.removeLast();
        }
        ring.addFirst(new Refusal(clock.instant(), project, file, check, reason));
    }

    /** Newest first. */
    public synchronized List<Refusal> list() {
        return new ArrayList<>(ring);
    }
}
