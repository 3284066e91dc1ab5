package dev.tern.core.store;

import java.util.List;

/**
 * A conversation's header. Direct chats have an empty title and no posting rules. {@code pinned}
 * holds the seqs of the pinned messages, the most recently pinned first. {@code adminsOnly}: only
 * the owner and admins post; {@code slowModeSeconds} (0: off): a member sends one message per
 * interval. {@code publicName}: a channel anyone may join by this name ("" for private channels and
 * every other conversation). {@code broadcast}: a group that once had more members than the
 * broadcast threshold stays fanned out on read, so a member who was offline while it was large
 * still learns of those messages through sync's news after it shrinks.
 */
public record ConversationRecord(long id, ConversationKind kind, String title, long createdAtMs, List<Long> pinned,
                                 String description, boolean adminsOnly, int slowModeSeconds, String publicName,
                                 boolean broadcast)
        implements Mutation {
    public ConversationRecord {
        pinned = pinned == null ? List.of() : List.copyOf(pinned);
        description = description == null ? "" : description;
        publicName = publicName == null ? "" : publicName;
    }

    /** A header without pins, description, posting rules or public name. */
    public ConversationRecord(long id, ConversationKind kind, String title, long createdAtMs) {
        this(id, kind, title, createdAtMs, List.of(), "", false, 0, "", false);
    }

    /** A header with pins and without description, posting rules or public name. */
    public ConversationRecord(long id, ConversationKind kind, String title, long createdAtMs, List<Long> pinned) {
        this(id, kind, title, createdAtMs, pinned, "", false, 0, "", false);
    }

    /** A header without a public name. */
    public ConversationRecord(long id, ConversationKind kind, String title, long createdAtMs, List<Long> pinned,
                              String description, boolean adminsOnly, int slowModeSeconds) {
        this(id, kind, title, createdAtMs, pinned, description, adminsOnly, slowModeSeconds, "", false);
    }

    /** A header that is not marked broadcast. */
    public ConversationRecord(long id, ConversationKind kind, String title, long createdAtMs, List<Long> pinned,
                              String description, boolean adminsOnly, int slowModeSeconds, String publicName) {
        this(id, kind, title, createdAtMs, pinned, description, adminsOnly, slowModeSeconds, publicName, false);
    }

    public ConversationRecord withBroadcast(boolean on) {
        return new ConversationRecord(id, kind, title, createdAtMs, pinned, description, adminsOnly, slowModeSeconds,
                publicName, on);
    }

    public ConversationRecord withPinned(List<Long> seqs) {
        return new ConversationRecord(id, kind, title, createdAtMs, seqs, description, adminsOnly, slowModeSeconds,
                publicName, broadcast);
    }

    public ConversationRecord withTitle(String newTitle) {
        return new ConversationRecord(id, kind, newTitle, createdAtMs, pinned, description, adminsOnly,
                slowModeSeconds, publicName, broadcast);
    }

    public ConversationRecord withDescription(String text) {
        return new ConversationRecord(id, kind, title, createdAtMs, pinned, text, adminsOnly, slowModeSeconds,
                publicName, broadcast);
    }

    public ConversationRecord withPostingRules(boolean onlyAdmins, int slowSeconds) {
        return new ConversationRecord(id, kind, title, createdAtMs, pinned, description, onlyAdmins, slowSeconds,
                publicName, broadcast);
    }
}
