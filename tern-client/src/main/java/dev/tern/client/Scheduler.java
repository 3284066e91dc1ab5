package dev.tern.client;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Time and delayed work as the client's retry logic sees them: the outbox's pacing, the cursor's
 * sync retry, the receipts' windows, the reconnect backoff and the heartbeat. One seam, so that a
 * test can move time by hand instead of sleeping; the client itself runs on {@link #on} a
 * single-threaded timer.
 */
interface Scheduler {
    /** A monotonic clock in nanoseconds, as {@link System#nanoTime}. */
    long nanoTime();

    /** Runs {@code task} once after {@code delayMs}; throws {@link RejectedExecutionException} once shut down. */
    void schedule(Runnable task, long delayMs);

    /** Runs {@code task} every {@code periodMs}, the first time after one period. */
    void repeat(Runnable task, long periodMs);

    /** Runs nothing more: later {@link #schedule} calls are rejected. */
    void shutdown();

    /** The production scheduler: the client's timer thread and the JVM's clock. */
    static Scheduler on(ScheduledExecutorService timer) {
        return new Scheduler() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void schedule(Runnable task, long delayMs) {
                timer.schedule(task, delayMs, TimeUnit.MILLISECONDS);
            }

            @Override
            public void repeat(Runnable task, long periodMs) {
                timer.scheduleAtFixedRate(task, periodMs, periodMs, TimeUnit.MILLISECONDS);
            }

            @Override
            public void shutdown() {
                timer.shutdownNow();
            }
        };
    }
}
