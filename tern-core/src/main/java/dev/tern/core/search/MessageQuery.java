package dev.tern.core.search;

/**
 * A message search: every word of {@code query}; optionally one conversation (0: all the caller's),
 * one sender (by id, or by username when {@code senderUsername} is not null; 0/null: anyone), a time
 * range ({@code toMs} 0: no upper bound), the previous page's cursor ("" for the first) and a page size.
 */
public record MessageQuery(String query, long conversationId, long senderId, String senderUsername, long fromMs,
                           long toMs, String cursor, int limit) {
    public MessageQuery {
        query = query == null ? "" : query;
        cursor = cursor == null ? "" : cursor;
    }
}
