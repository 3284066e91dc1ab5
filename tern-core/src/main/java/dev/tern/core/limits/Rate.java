package dev.tern.core.limits;

import java.time.Duration;

/**
 * {@code permits} per {@code period}, refilled smoothly; up to {@code permits} may be used at once.
 * Zero permits means unlimited.
 */
public record Rate(long permits, Duration period) {
    public static final Rate UNLIMITED = new Rate(0, Duration.ofSeconds(1));

    public Rate {
        if (permits < 0) {
            throw new IllegalArgumentException("permits must not be negative");
        }
        if (period == null || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period must be positive");
        }
    }

    public boolean unlimited() {
        return permits == 0;
    }

    @Override
    public String toString() {
        return unlimited() ? "unlimited" : permits + "/" + period.toMillis() + "ms";
    }
}
