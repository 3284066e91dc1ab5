package dev.tern.core.admission;

import java.time.Duration;

/**
 * When to refuse work, validated on construction.
 *
 * @param lowBacklog      backlog above which LOW priority requests are refused
 * @param normalBacklog   backlog above which NORMAL priority requests are refused too
 * @param highBacklog     backlog above which every request is refused
 * @param requestDeadline a request that waited this long behind earlier requests of its connection
 *                        is refused instead of started
 */
public record AdmissionConfig(Duration lowBacklog, Duration normalBacklog, Duration highBacklog,
                              Duration requestDeadline) {

    public static final AdmissionConfig DEFAULTS = new AdmissionConfig(Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(10));

    public AdmissionConfig {
        if (lowBacklog.toMillis() < 1) {
            throw new IllegalArgumentException("lowBacklog must be at least 1ms");
        }
        if (normalBacklog.compareTo(lowBacklog) < 0 || highBacklog.compareTo(normalBacklog) < 0) {
            throw new IllegalArgumentException("backlog thresholds must be ordered low <= normal <= high");
        }
        if (requestDeadline.toMillis() < 100) {
            throw new IllegalArgumentException("requestDeadline must be at least 100ms");
        }
    }

    long thresholdNanos(Priority p) {
        return switch (p) {
            case LOW -> lowBacklog.toNanos();
            case NORMAL -> normalBacklog.toNanos();
            case HIGH -> highBacklog.toNanos();
        };
    }
}
