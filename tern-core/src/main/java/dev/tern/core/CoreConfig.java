package dev.tern.core;

import java.time.Duration;

/**
 * The core's limits and tunables, validated on construction.
 *
 * @param maxGroupMembers   members a group may have, the owner included
 * @param maxBodyBytes      largest message body
 * @param ticketTtl         lifetime of a login ticket
 * @param sequenceStep      how far a sequencer's persisted bound is raised at a time
 * @param maxBatchMutations soft cap on mutations merged into one group commit
 * @param argon2MemoryKiB   Argon2id memory cost
 * @param argon2Iterations  Argon2id time cost
 * @param typingInterval    minimum interval between forwarded typing notices per device and conversation
 * @param editWindow        how long after sending its author may edit a message
 * @param recallWindow      how long after sending its author may delete a message for everyone
 * @param broadcastThreshold a group with more members than this is delivered by fan-out on read
 *                          (one record per message, no update-log entry per member), like a channel
 * @param maxChannelMembers subscribers a channel may have, the owner included
 * @param dedupWindow       how long a retried send or creation (same device, same client id) is
 *                          recognised and answered with its first outcome; its record is swept after;
 *                          at least {@code ticketTtl}
 */
public record CoreConfig(int maxGroupMembers, int maxBodyBytes, Duration ticketTtl, int sequenceStep,
                         int maxBatchMutations, int argon2MemoryKiB, int argon2Iterations, Duration typingInterval,
                         Duration editWindow, Duration recallWindow, int broadcastThreshold, int maxChannelMembers,
                         Duration dedupWindow) {

    public static final CoreConfig DEFAULTS = new CoreConfig(100_000, 65536, Duration.ofDays(30), 10_000, 20_000,
            19_456, 2, Duration.ofSeconds(2), Duration.ofHours(48), Duration.ofHours(48), 500, 1_000_000, Duration.ofDays(30));

    /** The same, with the other tunables at their defaults (tests and tools). */
    public CoreConfig(int maxGroupMembers, int maxBodyBytes, Duration ticketTtl, int sequenceStep,
                      int maxBatchMutations, int argon2MemoryKiB, int argon2Iterations, Duration typingInterval,
                      Duration editWindow, Duration recallWindow) {
        this(maxGroupMembers, maxBodyBytes, ticketTtl, sequenceStep, maxBatchMutations, argon2MemoryKiB,
                argon2Iterations, typingInterval, editWindow, recallWindow, 500, 1_000_000,
                ticketTtl.compareTo(Duration.ofDays(30)) > 0 ? ticketTtl : Duration.ofDays(30));
    }

    public CoreConfig {
        require(maxGroupMembers >= 2 && maxGroupMembers <= 100_000, "maxGroupMembers must be 2..100000");
        require(maxBodyBytes >= 1 && maxBodyBytes <= 16 << 20, "maxBodyBytes must be 1..16777216");
        require(!ticketTtl.isNegative() && ticketTtl.toSeconds() >= 60, "ticketTtl must be at least 60s");
        require(sequenceStep >= 1 && sequenceStep <= 1_000_000, "sequenceStep must be 1..1000000");
        require(maxBatchMutations >= 1, "maxBatchMutations must be positive");
        require(argon2MemoryKiB >= 8 && argon2MemoryKiB <= 4 << 20, "argon2MemoryKiB must be 8..4194304");
        require(argon2Iterations >= 1 && argon2Iterations <= 100, "argon2Iterations must be 1..100");
        require(!typingInterval.isNegative(), "typingInterval must not be negative");
        require(!editWindow.isNegative(), "editWindow must not be negative");
        require(!recallWindow.isNegative(), "recallWindow must not be negative");
        require(broadcastThreshold >= 2 && broadcastThreshold <= 100_000, "broadcastThreshold must be 2..100000");
        require(dedupWindow != null && dedupWindow.toMinutes() >= 1, "dedupWindow must be at least 1 minute");
        // A device retries an unacknowledged send for as long as its ticket lets it resume; a window
        // shorter than the ticket would let a legitimate retry store a message twice.
        require(dedupWindow.compareTo(ticketTtl) >= 0, "dedup.window must be at least auth.ticket-ttl ("
                + ticketTtl.toDays() + "d): a device may retry for as long as its ticket lives");
        require(maxChannelMembers >= 2 && maxChannelMembers <= 100_000_000, "maxChannelMembers must be 2..100000000");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
