package dev.tern.core.store;

/** {@code ownerId} has {@code contactId} in their contact list, keyed by (ownerId, contactId). */
public record ContactRecord(long ownerId, long contactId) implements Mutation {}
