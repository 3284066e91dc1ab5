package dev.tern.core.admission;

import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Admits or refuses a request by its priority, the backlog, and whether demand outruns what the
 * pipeline completes (see package-info).
 */
public final class Admission {
    // Reading the backlog peeks at two queues; at tens of thousands of requests a second, once a
    // millisecond is enough for a signal that moves in tens of milliseconds.
    private static final long REFRESH_NANOS = 1_000_000;
    // Demand and completions are compared over windows this long: long enough that one group
    // commit (a few ms) does not swing it, short enough to react before a queue gets deep.
    static final long WINDOW_NANOS = 100_000_000;
    // A backlog this many times a priority's threshold is refused whatever the rates: no client
    // window the server is sized for queues that much.
    static final int HARD_FACTOR = 4;
    // The overload state begins after this many windows in a row with excess demand (a stall in a
    // closed loop has at most one: the clients' free window slots fill, then nothing arrives until
    // acks come back), and ends after CALM_WINDOWS in a row without.
    private static final int GROWING_WINDOWS = 2;
    private static final int CALM_WINDOWS = 3;
    private static final int MIN_RETRY_MS = 50;
    private static final int MAX_RETRY_MS = 10_000;

    private final AdmissionConfig config;
    private final Load load;
    private final LongSupplier clock;
    private final Map<Priority, LongAdder> refused = new EnumMap<>(Priority.class);
    private final LongAdder expired = new LongAdder();
    // Refused requests that would have entered the pipeline: demand, in the rates. Refused reads
    // (typing, sync, search) are not: admitted, they never reach it either, and counted they would
    // let a busy closed loop talk itself into the overload state and keep it there.
    private final LongAdder refusedWrites = new LongAdder();
    private final LongAdder overloads = new LongAdder();
    private volatile long sampledAt;
    private volatile long sampled;
    // Window state, changed only under the lock (once a window, by whichever request sees it end).
    private final ReentrantLock rolling = new ReentrantLock();
    private volatile long windowStart;
    private long offeredAtStart;
    private long completedAtStart;
    private int growingWindows;
    private int calmWindows;
    private volatile boolean overloaded;

    public Admission(AdmissionConfig config, Load load) {
        this(config, load, System::nanoTime);
    }

    /** With a clock in nanoseconds, for tests. */
    public Admission(AdmissionConfig config, Load load, LongSupplier clock) {
        this.config = config;
        this.load = load;
        this.clock = clock;
        for (Priority p : Priority.values()) {
            refused.put(p, new LongAdder());
        }
        this.windowStart = clock.getAsLong();
        this.offeredAtStart = load.submitted();
        this.completedAtStart = load.completed();
    }

    public AdmissionConfig config() {
        return config;
    }

    /**
     * Throws {@code OVERLOADED} (retryable, with a hint) when the backlog is above {@code p}'s
     * threshold while demand outruns the pipeline, or above {@link #HARD_FACTOR} times it in any case.
     * {@code writes}: the request would enter the commit pipeline (a refusal of it is demand).
     */
    public void admit(Priority p, boolean writes) {
        long backlog = backlogNanos();
        long threshold = config.thresholdNanos(p);
        if (backlog > threshold && (overloaded || backlog > HARD_FACTOR * threshold)) {
            refused.get(p).increment();
            if (writes) {
                refusedWrites.increment();
            }
            long ms = backlog / 1_000_000;
            throw new Failure(ErrorCode.OVERLOADED,
                    "server is overloaded (" + ms + " ms of queued work); retry later with the same ids",
                    retryAfterMs(backlog));
        }
    }

    /**
     * For a request that waited {@code waitedNanos} behind earlier requests of its connection:
     * throws {@code OVERLOADED} when that is past the request deadline.
     */
    public void checkDeadline(long waitedNanos, boolean writes) {
        if (waitedNanos > config.requestDeadline().toNanos()) {
            expired.increment();
            if (writes) {
                refusedWrites.increment();
            }
            throw new Failure(ErrorCode.OVERLOADED, "the request waited " + waitedNanos / 1_000_000
                    + " ms before it could start (deadline " + config.requestDeadline().toMillis()
                    + " ms); retry later with the same ids", retryAfterMs(backlogNanos()));
        }
    }

    /** The backlog, sampled at most once a millisecond; ends a window when one is due. */
    public long backlogNanos() {
        long now = clock.getAsLong();
        if (now - sampledAt > REFRESH_NANOS) {
            sampled = load.backlogNanos();
            sampledAt = now;
            if (now - windowStart >= WINDOW_NANOS && rolling.tryLock()) {
                try {
                    roll(now);
                } finally {
                    rolling.unlock();
                }
            }
        }
        return sampled;
    }

    /**
     * Ends the window: demand (requests that entered the pipeline, and refused ones that would have)
     * against what
     * the pipeline completed. In a closed loop, where clients send as acks come back, the two are
     * equal whatever the backlog, and nothing is refused below the hard limit. Demand beyond
     * completions by more than a sixteenth, {@link #GROWING_WINDOWS} windows in a row, is a queue
     * that grows: the overload state, in which each priority is refused above its threshold, until
     * {@link #CALM_WINDOWS} windows pass without excess demand or the backlog is below every threshold.
     */
    private void roll(long now) {
        if (now - windowStart < WINDOW_NANOS) {
            return; // another request ended it meanwhile
        }
        long offered = load.submitted() + refusedWrites.sum();
        long completed = load.completed();
        long demand = offered - offeredAtStart;
        long done = completed - completedAtStart;
        boolean growing = demand - done > done / 16 + 16;
        growingWindows = growing ? growingWindows + 1 : 0;
        if (growingWindows >= GROWING_WINDOWS && sampled > config.thresholdNanos(Priority.LOW)) {
            if (!overloaded) {
                overloads.increment();
            }
            overloaded = true;
            calmWindows = 0;
        } else if (overloaded) {
            calmWindows = growing ? 0 : calmWindows + 1;
            if (calmWindows >= CALM_WINDOWS || sampled <= config.thresholdNanos(Priority.LOW)) {
                overloaded = false;
            }
        }
        windowStart = now;
        offeredAtStart = offered;
        completedAtStart = completed;
    }

    /** True while demand outruns the pipeline (see {@link #roll}). */
    public boolean overloaded() {
        return overloaded;
    }

    /** Times the server entered the overload state so far. */
    public long overloads() {
        return overloads.sum();
    }

    /** Requests refused so far at priority {@code p}. */
    public long refused(Priority p) {
        return refused.get(p).sum();
    }

    /** Requests refused so far because they waited past the deadline. */
    public long expired() {
        return expired.sum();
    }

    /**
     * Twice the backlog: by then what is queued now has drained, if arrivals slow down. Clients add
     * jitter, so refused clients do not come back in one wave.
     */
    static int retryAfterMs(long backlogNanos) {
        long ms = 2 * backlogNanos / 1_000_000;
        return (int) Math.clamp(ms, MIN_RETRY_MS, MAX_RETRY_MS);
    }
}
