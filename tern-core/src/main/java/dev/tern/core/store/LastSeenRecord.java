package dev.tern.core.store;

/** When a user was last online (epoch millis). */
public record LastSeenRecord(long userId, long atMs) implements Mutation {}
