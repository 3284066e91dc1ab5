package dev.tern.core.store;

/**
 * One message of a conversation, keyed by (conversationId, seq). The body is opaque to the store;
 * {@link BodyKind} tells the core how to read it.
 */
public record MessageRecord(long conversationId, long seq, long senderId, String senderName, long senderDeviceId,
                            String clientMsgId, String contentType, BodyKind bodyKind, byte[] body, long tsMs)
        implements Mutation {
    public MessageRecord {
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body without a defensive copy, for encoders that only read it. */
    public byte[] bodyUnsafe() {
        return body;
    }
}
