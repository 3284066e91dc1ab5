package dev.tern.core.store;

/** A user banned from a group, keyed by (conversationId, userId). */
public record BanRecord(long conversationId, long userId, long byUserId, long atMs) implements Mutation {}
