package dev.tern.core.inbox;

/** What to change in the caller's settings for one conversation; a null field is left as it is. */
public record DialogChange(long conversationId, Long muteUntilMs, Boolean archived, Boolean pinned, String draft) {}
