package dev.tern.core.admission;

import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** Admits or refuses a request by its priority and the current backlog (see package-info). */
public final class Admission {
    // Reading the backlog peeks at two queues; at tens of thousands of requests a second, once a
    // millisecond is enough for a signal that moves in tens of milliseconds.
    private static final long REFRESH_NANOS = 1_000_000;
    private static final int MIN_RETRY_MS = 50;
    private static final int MAX_RETRY_MS = 10_000;

    private final AdmissionConfig config;
    private final LongSupplier backlogNanos;
    private final Map<Priority, LongAdder> refused = new EnumMap<>(Priority.class);
    private final LongAdder expired = new LongAdder();
    private volatile long sampledAt;
    private volatile long sampled;

    public Admission(AdmissionConfig config, LongSupplier backlogNanos) {
        this.config = config;
        this.backlogNanos = backlogNanos;
        for (Priority p : Priority.values()) {
            refused.put(p, new LongAdder());
        }
    }

    public AdmissionConfig config() {
        return config;
    }

    /** Throws {@code OVERLOADED} (retryable, with a hint) when the backlog is above {@code p}'s threshold. */
    public void admit(Priority p) {
        long backlog = backlogNanos();
        if (backlog > config.thresholdNanos(p)) {
            refused.get(p).increment();
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
    public void checkDeadline(long waitedNanos) {
        if (waitedNanos > config.requestDeadline().toNanos()) {
            expired.increment();
            throw new Failure(ErrorCode.OVERLOADED, "the request waited " + waitedNanos / 1_000_000
                    + " ms before it could start (deadline " + config.requestDeadline().toMillis()
                    + " ms); retry later with the same ids", retryAfterMs(backlogNanos()));
        }
    }

    /** The backlog, sampled at most once a millisecond. */
    public long backlogNanos() {
        long now = System.nanoTime();
        if (now - sampledAt > REFRESH_NANOS) {
            sampled = backlogNanos.getAsLong();
            sampledAt = now;
        }
        return sampled;
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
