package dev.tern.core.store;

/**
 * One message of a conversation, keyed by (conversationId, seq). The body is opaque to the store;
 * {@link BodyKind} tells the core how to read it. An edit or a recall rewrites the record under
 * the same key (see {@link #edited} and {@link #recalled}).
 */
public record MessageRecord(long conversationId, long seq, long senderId, String senderName, long senderDeviceId,
                            String clientMsgId, String contentType, BodyKind bodyKind, byte[] body, long tsMs,
                            Extras extras)
        implements Mutation {

    /**
     * What a message carries besides its content. {@code forwardSenderId} is 0 unless the message is
     * a forward; a recalled message has no content left.
     */
    public record Extras(long replyToSeq, long forwardSenderId, String forwardSenderName, long forwardTsMs,
                         long editedAtMs, boolean recalled) {
        public static final Extras NONE = new Extras(0, 0, "", 0, 0, false);

        public Extras {
            forwardSenderName = forwardSenderName == null ? "" : forwardSenderName;
        }

        public boolean forwarded() {
            return forwardSenderId != 0;
        }
    }

    public MessageRecord {
        body = body.clone();
        extras = extras == null ? Extras.NONE : extras;
    }

    /** A message with no reply, forward, edit or recall. */
    public MessageRecord(long conversationId, long seq, long senderId, String senderName, long senderDeviceId,
                         String clientMsgId, String contentType, BodyKind bodyKind, byte[] body, long tsMs) {
        this(conversationId, seq, senderId, senderName, senderDeviceId, clientMsgId, contentType, bodyKind, body, tsMs,
                Extras.NONE);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body without a defensive copy, for encoders that only read it. */
    public byte[] bodyUnsafe() {
        return body;
    }

    /** This message with new content, edited at {@code atMs}. */
    public MessageRecord edited(String newContentType, BodyKind newKind, byte[] newBody, long atMs) {
        Extras e = extras;
        return new MessageRecord(conversationId, seq, senderId, senderName, senderDeviceId, clientMsgId, newContentType,
                newKind, newBody, tsMs, new Extras(e.replyToSeq(), e.forwardSenderId(), e.forwardSenderName(),
                e.forwardTsMs(), atMs, false));
    }

    /** This message deleted for everyone: its content is gone, its place in the conversation stays. */
    public MessageRecord recalled() {
        Extras e = extras;
        return new MessageRecord(conversationId, seq, senderId, senderName, senderDeviceId, clientMsgId, "",
                BodyKind.DATA, new byte[0], tsMs, new Extras(e.replyToSeq(), 0, "", 0, e.editedAtMs(), true));
    }
}
