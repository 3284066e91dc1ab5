package dev.tern.core.store;

import java.util.List;

/**
 * One user's reactions to one message, keyed by (conversationId, seq, userId), in the order the user
 * added them. Writing an empty list removes the key.
 */
public record ReactionRecord(long conversationId, long seq, long userId, List<String> emoji) implements Mutation {
    public ReactionRecord {
        emoji = List.copyOf(emoji);
    }
}
