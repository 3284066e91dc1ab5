package dev.tern.core.store;

import java.util.List;

/**
 * A conversation's header. Direct chats have an empty title. {@code pinned} holds the seqs of the
 * pinned messages, the most recently pinned first.
 */
public record ConversationRecord(long id, ConversationKind kind, String title, long createdAtMs, List<Long> pinned)
        implements Mutation {
    public ConversationRecord {
        pinned = pinned == null ? List.of() : List.copyOf(pinned);
    }

    /** A header without pinned messages. */
    public ConversationRecord(long id, ConversationKind kind, String title, long createdAtMs) {
        this(id, kind, title, createdAtMs, List.of());
    }

    public ConversationRecord withPinned(List<Long> seqs) {
        return new ConversationRecord(id, kind, title, createdAtMs, seqs);
    }
}
