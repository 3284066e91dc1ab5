package dev.tern.core.limits;

import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** One token bucket per key for one {@link Rate}; refusals carry {@code code} and a retry hint. */
public final class KeyedLimiter<K> {
    private static final long SWEEP_EVERY_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Rate rate;
    private final ErrorCode code;
    private final String message;
    private final ConcurrentHashMap<K, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep = new AtomicLong(System.nanoTime() + SWEEP_EVERY_NANOS);
    private final AtomicBoolean sweeping = new AtomicBoolean();

    public KeyedLimiter(Rate rate, ErrorCode code, String message) {
        this.rate = rate;
        this.code = code;
        this.message = message;
    }

    /** Takes one permit for {@code key}, or refuses. */
    public void acquire(K key) {
        if (rate.unlimited()) {
            return;
        }
        ConsumptionProbe probe = bucket(key).tryConsumeAndReturnRemaining(1);
        maybeSweep();
        if (!probe.isConsumed()) {
            throw refusal(probe.getNanosToWaitForRefill());
        }
    }

    /** Gives back a permit taken by {@link #acquire} (an attempt that turned out not to count). */
    void refund(K key) {
        if (!rate.unlimited()) {
            bucket(key).addTokens(1);
        }
    }

    /** Number of keys with a bucket (tests check that the sweep bounds memory). */
    int size() {
        return buckets.size();
    }

    /** Drops buckets that have refilled completely: they behave exactly as new ones would. */
    void sweep() {
        buckets.entrySet().removeIf(e -> e.getValue().getAvailableTokens() >= rate.permits());
    }

    private Bucket bucket(K key) {
        return buckets.computeIfAbsent(key, k -> Bucket.builder()
                .addLimit(l -> l.capacity(rate.permits()).refillGreedy(rate.permits(), rate.period()))
                .build());
    }

    private Failure refusal(long nanosToWait) {
        int ms = (int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanosToWait) + 1));
        return new Failure(code, message, ms);
    }

    /** At most every 30 s, off the caller's thread (which may be an event loop). */
    private void maybeSweep() {
        long now = System.nanoTime();
        long due = nextSweep.get();
        if (now - due >= 0 && nextSweep.compareAndSet(due, now + SWEEP_EVERY_NANOS)
                && sweeping.compareAndSet(false, true)) {
            Thread.ofVirtual().name("tern-limits-sweep").start(() -> {
                try {
                    sweep();
                } finally {
                    sweeping.set(false);
                }
            });
        }
    }
}
