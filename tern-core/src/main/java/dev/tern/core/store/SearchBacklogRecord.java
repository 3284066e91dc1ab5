package dev.tern.core.store;

/**
 * A message whose search-index entry is to be computed again, keyed by {@code id}. The commit
 * pipeline writes one with every message record it writes, in the same atomic batch, so a
 * message that was acknowledged is in the backlog even if the process dies before the index
 * took it. Ids rise in the order the batches become durable (see dev.tern.core.search).
 */
public record SearchBacklogRecord(long id, long conversationId, long seq) implements Mutation {}
