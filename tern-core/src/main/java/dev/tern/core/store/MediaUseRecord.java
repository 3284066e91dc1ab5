package dev.tern.core.store;

/**
 * Media {@code mediaId} was sent in message (conversationId, seq): whoever can read that message may
 * download the media. Keyed by (mediaId, conversationId, seq).
 */
public record MediaUseRecord(String mediaId, long conversationId, long seq) implements Mutation {}
