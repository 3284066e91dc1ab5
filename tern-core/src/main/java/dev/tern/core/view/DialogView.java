package dev.tern.core.view;

import dev.tern.core.store.ConversationKind;

/**
 * One conversation in a user's dialog list, as that user sees it. {@code top} is null when the user
 * can see no message; {@code left} marks a dialog the user is no longer in (nothing else is set).
 * The peer markers are 0 when hidden by read-receipt privacy and always 0 for broadcast ones.
 */
public record DialogView(long conversationId, ConversationKind kind, String title, long peerId, MessageView top,
                         long lastActivityMs, long readUpToSeq, int unreadCount, int unreadMentions,
                         long muteUntilMs, boolean archived, boolean pinned, String draft, long draftAtMs,
                         boolean broadcast, boolean left, long lastChange, long peerReadSeq,
                         long peerDeliveredSeq) {

    /** The dialog of a conversation the user left or was removed from. */
    public static DialogView left(long conversationId) {
        return new DialogView(conversationId, null, "", 0, null, 0, 0, 0, 0, 0, false, false, "", 0, false, true,
                0, 0, 0);
    }
}
