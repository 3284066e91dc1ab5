package dev.tern.client;

import dev.tern.protocol.v1.ConversationNews;
import dev.tern.protocol.v1.Goodbye;
import dev.tern.protocol.v1.Presence;
import dev.tern.protocol.v1.TypingPush;
import dev.tern.protocol.v1.Update;

/**
 * Callbacks from the client, all on one thread in order. Updates arrive exactly once, in pts
 * order; entries the device itself created (its own sends, read markers, group changes) are not
 * repeated here unless they arrive by sync after a gap.
 */
public interface TernListener {
    /**
     * A log entry, or a push outside the log (pts 0): a broadcast conversation's message or change,
     * or another member's {@code delivered} marker, as it comes.
     */
    default void onUpdate(Update update) { }

    /**
     * After a sync: a broadcast conversation (channel, very large group) has messages this user has
     * not read; they are not in the update log, so read them with History.
     */
    default void onNews(ConversationNews news) { }

    default void onTyping(TypingPush typing) { }

    default void onPresence(Presence presence) { }

    /** The connection is up and the session resumed (true), or it dropped (false). */
    default void onConnection(boolean up) { }

    /** The server said why it closes the connection. */
    default void onGoodbye(Goodbye goodbye) { }
}
