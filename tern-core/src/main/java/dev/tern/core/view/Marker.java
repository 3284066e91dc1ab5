package dev.tern.core.view;

/** A member's read or delivered marker in a conversation: messages up to {@code upToSeq}. */
public record Marker(long conversationId, long userId, String username, long upToSeq) {}
