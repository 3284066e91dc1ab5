package dev.tern.core.store;

/** The bytes of media a user uploaded and that still exist, for their storage quota. */
public record UsageRecord(long userId, long bytes) implements Mutation {}
