package dev.tern.core.store;

/** {@code ownerId} removed {@code contactId} from their contact list. */
public record DeleteContact(long ownerId, long contactId) implements Mutation {}
