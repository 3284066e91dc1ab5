package dev.tern.core.view;

import dev.tern.core.store.ConversationKind;

import java.util.List;

/**
 * A conversation as a member sees it. {@code members} is empty for a broadcast conversation (they are
 * paged instead); {@code lastSeq} is the newest durable seq.
 */
public record ConversationView(long conversationId, ConversationKind kind, boolean broadcast, int memberCount,
                               String publicName, String title, long createdAtMs, List<Long> pinnedSeqs,
                               String description, boolean adminsOnly, int slowModeSeconds, long lastSeq,
                               List<MemberView> members) {}
