package dev.tern.core.store;

/** "User's devices have received conversation up to seq". Only ever raised by the core. */
public record DeliveredMarkerRecord(long userId, long conversationId, long upToSeq) implements Mutation {}
