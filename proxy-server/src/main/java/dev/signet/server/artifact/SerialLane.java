package dev.signet.server.artifact;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one at a time, in the order they were submitted, on a shared pool: a lane of a {@link FillPipeline}
 * keeps its hash state on whichever worker runs it without needing a thread of its own, and two lanes of the same
 * fill run in parallel when two workers are free. Tasks must not throw.
 */
final class SerialLane implements Executor {

    private final Executor pool;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    SerialLane(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                pool.execute(this::drain);
            } catch (RuntimeException e) {
                // The pool is shut down: run here rather than drop a task whose job is to release buffers.
                drain();
            }
        }
    }

    /**
     * One task, then back to the end of the pool's queue: a lane kept busy by a large fill must not hold a worker for
     * the whole fill while page fetches and other fills wait for one.
     */
    private void drain() {
        Runnable task = tasks.poll();
        try {
            if (task != null) {
                task.run();
            }
        } finally {
            scheduled.set(false);
            // A task added while this one ran (or before the reset) would otherwise wait for the next submission.
            if (!tasks.isEmpty()) {
                schedule();
            }
        }
    }
}
