package dev.tern.core.view;

/** What one update tells: a new message, a change to one, a marker, a dialog's new state. */
public sealed interface Change {

    /** A new message. */
    record Posted(MessageView message) implements Change {}

    /** A message was edited: its current state. */
    record Edited(MessageView message) implements Change {}

    /** A message was deleted for everyone: its tombstone. */
    record Recalled(MessageView message) implements Change {}

    /** The reactions to a message changed: its current state. */
    record Reacted(MessageView message) implements Change {}

    /** The user deleted a message for themself (on another device, perhaps). */
    record Hidden(long conversationId, long seq) implements Change {}

    /** The user's dialog changed (settings, draft, joined or left): its current state. */
    record DialogChanged(DialogView dialog) implements Change {}

    /** A member read up to a seq. */
    record Read(Marker marker) implements Change {}

    /** A member's devices received up to a seq (never a log entry: pushed with pts 0). */
    record Delivered(Marker marker) implements Change {}
}
