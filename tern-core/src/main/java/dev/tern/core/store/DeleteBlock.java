package dev.tern.core.store;

/** {@code blockerId} no longer blocks {@code blockedId}. */
public record DeleteBlock(long blockerId, long blockedId) implements Mutation {}
