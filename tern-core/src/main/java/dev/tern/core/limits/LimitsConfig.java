package dev.tern.core.limits;

import java.time.Duration;

/**
 * The rate limits, one per kind of request that can be abused.
 *
 * @param sendPerDevice           sends of one device
 * @param sendPerUser             sends of all devices of one user together
 * @param loginFailuresPerUsername failed logins naming one username (counted whether it exists or not)
 * @param loginAttemptsPerAddress login attempts, failed or not, from one network address
 * @param registrationsPerAddress registrations from one network address
 * @param groupsPerUser           groups created by one user
 */
public record LimitsConfig(Rate sendPerDevice, Rate sendPerUser, Rate loginFailuresPerUsername,
                           Rate loginAttemptsPerAddress, Rate registrationsPerAddress, Rate groupsPerUser) {

    public static final LimitsConfig DEFAULTS = new LimitsConfig(
            new Rate(20, Duration.ofSeconds(1)), new Rate(50, Duration.ofSeconds(1)),
            new Rate(10, Duration.ofMinutes(15)), new Rate(30, Duration.ofMinutes(1)),
            new Rate(10, Duration.ofHours(1)), new Rate(20, Duration.ofHours(1)));

    /** No limit at all (tests and benchmarks that measure capacity rather than policy). */
    public static final LimitsConfig NONE = new LimitsConfig(Rate.UNLIMITED, Rate.UNLIMITED, Rate.UNLIMITED,
            Rate.UNLIMITED, Rate.UNLIMITED, Rate.UNLIMITED);

    public LimitsConfig {
        if (sendPerDevice == null || sendPerUser == null || loginFailuresPerUsername == null
                || loginAttemptsPerAddress == null || registrationsPerAddress == null || groupsPerUser == null) {
            throw new IllegalArgumentException("every rate must be set");
        }
    }
}
