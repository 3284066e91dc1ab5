package dev.tern.client;

import java.util.random.RandomGenerator;

/**
 * Jittered exponential backoff: retry {@code n} (0 for the first) waits a random time between half
 * and all of {@code firstMs · 2ⁿ}, capped at {@code maxMs}. The jitter keeps clients that failed
 * together (a server restart, an overload) from coming back in the same millisecond.
 */
record Backoff(long firstMs, long maxMs) {
    /** Between reconnect attempts: soon after a blip, at most every 5 s while a server is down. */
    static final Backoff RECONNECT = new Backoff(100, 5_000);
    /** Between transmissions of one send refused without a hint (a server's hint may ask for longer). */
    static final Backoff SEND_RETRY = new Backoff(100, 10_000);

    Backoff {
        if (firstMs <= 0 || maxMs < firstMs) {
            throw new IllegalArgumentException("backoff needs 0 < firstMs <= maxMs, got " + firstMs + ", " + maxMs);
        }
    }

    long delayMs(int retry, RandomGenerator random) {
        long base = Math.min(maxMs, firstMs << Math.min(Math.max(retry, 0), 30));
        return base / 2 + random.nextLong(base / 2 + 1);
    }
}
