package dev.tern.client;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Scheduler} whose clock moves only when a test calls {@link #advance}: due tasks then run
 * on the test's thread, in due order. Retry delays can be read exactly and waited out in no time.
 */
final class ManualScheduler implements Scheduler {
    private record Task(long dueNanos, long order, Runnable task, long periodMs) {}

    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
            (a, b) -> a.dueNanos != b.dueNanos ? Long.compare(a.dueNanos, b.dueNanos) : Long.compare(a.order, b.order));
    private final List<Long> delays = new ArrayList<>();
    private long now = 1_000_000_000L; // any start: only differences count
    private long order;
    private boolean shut;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized void schedule(Runnable task, long delayMs) {
        if (shut) {
            throw new RejectedExecutionException("shut down");
        }
        delays.add(delayMs);
        tasks.add(new Task(now + TimeUnit.MILLISECONDS.toNanos(delayMs), order++, task, 0));
    }

    @Override
    public synchronized void repeat(Runnable task, long periodMs) {
        if (shut) {
            throw new RejectedExecutionException("shut down");
        }
        tasks.add(new Task(now + TimeUnit.MILLISECONDS.toNanos(periodMs), order++, task, periodMs));
    }

    @Override
    public synchronized void shutdown() {
        shut = true;
        tasks.clear();
    }

    synchronized boolean isShutdown() {
        return shut;
    }

    /** The delay of every one-shot task scheduled so far, in the order they were asked for. */
    synchronized List<Long> delays() {
        return List.copyOf(delays);
    }

    /** The one-shot tasks not yet run. */
    synchronized int pending() {
        return (int) tasks.stream().filter(t -> t.periodMs == 0).count();
    }

    /** Moves the clock forward by {@code ms}, running each task that falls due (tasks may schedule more). */
    void advance(long ms) {
        long target;
        synchronized (this) {
            target = now + TimeUnit.MILLISECONDS.toNanos(ms);
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.dueNanos > target) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = next.dueNanos;
                if (next.periodMs > 0) {
                    tasks.add(new Task(now + TimeUnit.MILLISECONDS.toNanos(next.periodMs), order++, next.task,
                            next.periodMs));
                }
            }
            next.task.run(); // outside the lock: a task may schedule another
        }
    }
}
