package dev.tern.core.store;

/** What an update-log entry points at. */
public enum UpdateKind {
    /** A message: (conversationId, seq). */
    MESSAGE,
    /** A read marker: user {@code actorId} has read conversationId up to {@code seq}. */
    READ,
    /** An edit of the message (conversationId, seq) by {@code actorId}; readers show its current state. */
    EDIT,
    /** The message (conversationId, seq) was deleted for everyone by {@code actorId}. */
    RECALL,
    /** The reactions to the message (conversationId, seq) changed ({@code actorId} reacted). */
    REACTION,
    /** The user deleted the message (conversationId, seq) for themselves. */
    HIDE,
    /**
     * The user's dialog for conversationId changed (settings, draft, joining or leaving a channel);
     * readers show the dialog's current state. {@code seq} is 0.
     */
    DIALOG
}
