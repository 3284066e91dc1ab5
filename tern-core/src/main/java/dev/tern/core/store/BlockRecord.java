package dev.tern.core.store;

/** {@code blockerId} blocks {@code blockedId}, keyed by (blockerId, blockedId). */
public record BlockRecord(long blockerId, long blockedId) implements Mutation {}
