package dev.tern.core.store;

/** A conversation's header. Direct chats have an empty title. */
public record ConversationRecord(long id, ConversationKind kind, String title, long createdAtMs) implements Mutation {}
