package dev.tern.core.store;

/** Lifts the ban of (conversationId, userId). */
public record DeleteBan(long conversationId, long userId) implements Mutation {}
