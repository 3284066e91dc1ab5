package dev.tern.core.store;

import java.util.List;

/**
 * A conversation's header. Direct chats have an empty title and no posting rules. {@code pinned}
 * holds the seqs of the pinned messages, the most recently pinned first. {@code adminsOnly}: only
 * the owner and admins post; {@code slowModeSeconds} (0: off): a member sends one message per
 * interval.
 */
public record ConversationRecord(long id, ConversationKind kind, String title, long createdAtMs, List<Long> pinned,
                                 String description, boolean adminsOnly, int slowModeSeconds)
        implements Mutation {
    public ConversationRecord {
        pinned = pinned == null ? List.of() : List.copyOf(pinned);
        description = description == null ? "" : description;
    }

    /** A header without pins, description or posting rules. */
    public ConversationRecord(long id, ConversationKind kind, String title, long createdAtMs) {
        this(id, kind, title, createdAtMs, List.of(), "", false, 0);
    }

    /** A header with pins and without description or posting rules. */
    public ConversationRecord(long id, ConversationKind kind, String title, long createdAtMs, List<Long> pinned) {
        this(id, kind, title, createdAtMs, pinned, "", false, 0);
    }

    public ConversationRecord withPinned(List<Long> seqs) {
        return new ConversationRecord(id, kind, title, createdAtMs, seqs, description, adminsOnly, slowModeSeconds);
    }

    public ConversationRecord withTitle(String newTitle) {
        return new ConversationRecord(id, kind, newTitle, createdAtMs, pinned, description, adminsOnly, slowModeSeconds);
    }

    public ConversationRecord withDescription(String text) {
        return new ConversationRecord(id, kind, title, createdAtMs, pinned, text, adminsOnly, slowModeSeconds);
    }

    public ConversationRecord withPostingRules(boolean onlyAdmins, int slowSeconds) {
        return new ConversationRecord(id, kind, title, createdAtMs, pinned, description, onlyAdmins, slowSeconds);
    }
}
