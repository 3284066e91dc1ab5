package dev.tern.core.store;

/** The first acknowledgement of a (device, client message id), returned again to retries. */
public record DedupRecord(long deviceId, String clientMsgId, long conversationId, long seq, long pts, long prevPts,
                          long tsMs) implements Mutation {}
