package dev.tern.core.search;

import java.util.List;
import java.util.Map;

/**
 * The full-text index port: documents keyed by (conversationId, seq), each one text message.
 * Implementations: tern-search-lucene. The index is derived data; the store is the truth (see the
 * package documentation). Called from one indexing thread for writes and from any thread for
 * searches; implementations are thread-safe.
 */
public interface SearchIndex extends AutoCloseable {

    /** What is indexed of one text message. Replaces any earlier document with the same key. */
    record Doc(long conversationId, long seq, long senderId, long tsMs, String text) {}

    /** A document's place in the newest-first order: by tsMs, then seq, then conversationId, all descending. */
    record Position(long tsMs, long seq, long conversationId) {}

    /**
     * What to look for: every word of {@code text} (as the index analyses it) must occur. Only
     * conversations in {@code readableFrom} are searched, each from the seq it maps to. {@code
     * senderId} 0 means any sender; {@code fromMs} inclusive and {@code toMs} exclusive bound tsMs
     * (toMs 0: no bound). {@code before}, when not null, keeps only positions after it in the
     * newest-first order.
     */
    record Query(String text, Map<Long, Long> readableFrom, long senderId, long fromMs, long toMs, Position before,
                 int limit) {
        public Query {
            readableFrom = Map.copyOf(readableFrom);
        }
    }

    void put(Doc doc);

    void delete(long conversationId, long seq);

    /** Removes every document (before a rebuild from the store). */
    void deleteAll();

    /** Makes every put and delete so far visible to {@link #search}; not durable. */
    void refresh();

    /** Makes every put and delete so far durable, together with {@code checkpoint}. */
    void commit(String checkpoint);

    /** The checkpoint of the last {@link #commit}; empty for an index that was never committed. */
    String checkpoint();

    /**
     * Matching documents, newest first, at most {@code limit}. User input in {@code text} never
     * makes this throw: text that yields no words matches nothing.
     */
    List<Position> search(Query query);

    @Override
    void close();
}
