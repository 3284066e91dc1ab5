package dev.tern.core.store;

/** A message one user deleted for themselves, keyed by (userId, conversationId, seq). */
public record HiddenRecord(long userId, long conversationId, long seq) implements Mutation {}
