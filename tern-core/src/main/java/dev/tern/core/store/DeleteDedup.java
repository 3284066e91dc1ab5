package dev.tern.core.store;

/**
 * Forgets the first acknowledgement of (deviceId, clientMsgId): a retry after this is a new send.
 * Written by the sweep once the retry window has passed (see {@link StoreReads#dedupsBefore}).
 */
public record DeleteDedup(long deviceId, String clientMsgId) implements Mutation {}
