package dev.tern.core.store;

/** Ends a membership (both index entries). */
public record DeleteMember(long conversationId, long userId) implements Mutation {}
