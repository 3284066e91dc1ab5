package dev.tern.core.store;

/** Index from an unordered user pair to their direct conversation; {@code userLo < userHi}. */
public record DirectRecord(long userLo, long userHi, long conversationId) implements Mutation {}
