package dev.tern.core.store;

/** What an update-log entry points at. */
public enum UpdateKind {
    /** A message: (conversationId, seq). */
    MESSAGE,
    /** A read marker: user {@code actorId} has read conversationId up to {@code seq}. */
    READ
}
