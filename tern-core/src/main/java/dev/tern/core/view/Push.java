package dev.tern.core.view;

/** What a device is told without asking. Handed to every connection of its users as is. */
public sealed interface Push {

    /** An update (see {@link Update}). */
    record Updated(Update update) implements Push {}

    /** A member is typing in a conversation, or stopped. */
    record Typing(long conversationId, long userId, String username, boolean stopped) implements Push {}

    /** A user the device subscribed to came online or went offline. */
    record PresenceChanged(PresenceView presence) implements Push {}
}
