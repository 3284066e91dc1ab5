package dev.tern.core.store;

/** "User has read conversation up to seq". Only ever raised by the core. */
public record ReadMarkerRecord(long userId, long conversationId, long upToSeq) implements Mutation {}
