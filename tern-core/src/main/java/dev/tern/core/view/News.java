package dev.tern.core.view;

/**
 * A broadcast conversation with messages after the user's read marker: its messages are not in the
 * user's log, so sync names it. {@code lastChange}: the newest entry of its change log.
 */
public record News(long conversationId, long lastSeq, long readUpToSeq, int unreadCount, int unreadMentions,
                   long lastChange) {}
