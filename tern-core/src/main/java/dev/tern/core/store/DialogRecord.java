package dev.tern.core.store;

/**
 * One user's settings for one conversation in their conversation list, keyed by (userId,
 * conversationId). A conversation without a record has the defaults ({@link #defaults}).
 *
 * @param muteUntilMs notifications are off until then (0: not muted; Long.MAX_VALUE: for ever)
 * @param archived    listed in the archive instead of the main list
 * @param pinnedAtMs  pinned to the top of the list when non-zero; pins are ordered by this, newest first
 * @param draft       the unsent text the user left in the conversation, "" when none
 * @param draftAtMs   when the draft was saved (0 when none)
 */
public record DialogRecord(long userId, long conversationId, long muteUntilMs, boolean archived, long pinnedAtMs,
                           String draft, long draftAtMs) implements Mutation {
    public DialogRecord {
        draft = draft == null ? "" : draft;
    }

    public static DialogRecord defaults(long userId, long conversationId) {
        return new DialogRecord(userId, conversationId, 0, false, 0, "", 0);
    }

    public boolean pinned() {
        return pinnedAtMs != 0;
    }
}
