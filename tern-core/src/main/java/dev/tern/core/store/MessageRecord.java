package dev.tern.core.store;

import java.util.List;

/**
 * One message of a conversation, keyed by (conversationId, seq). The body is opaque to the store;
 * {@link BodyKind} tells the core how to read it. An edit or a recall rewrites the record under
 * the same key (see {@link #edited} and {@link #recalled}).
 */
public record MessageRecord(long conversationId, long seq, long senderId, String senderName, long senderDeviceId,
                            String clientMsgId, String contentType, BodyKind bodyKind, byte[] body, long tsMs,
                            Extras extras)
        implements Mutation {

    /** How many users reacted to a message with one emoji. */
    public record Reaction(String emoji, int count) {}

    /**
     * What a message carries besides its content. {@code forwardSenderId} is 0 unless the message is
     * a forward; a recalled message has no content and no reactions left. {@code reactions} counts
     * each emoji in the order it was first used; {@code mentions} are the user ids of the members
     * the text mentioned when it was sent. {@code media} is the encoded description of a file the
     * message carries (tern.v1.Media), empty when none.
     */
    public record Extras(long replyToSeq, long forwardSenderId, String forwardSenderName, long forwardTsMs,
                         long editedAtMs, boolean recalled, List<Reaction> reactions, List<Long> mentions,
                         com.google.protobuf.ByteString media) {
        public static final Extras NONE = new Extras(0, 0, "", 0, 0, false, List.of(), List.of(),
                com.google.protobuf.ByteString.EMPTY);

        public Extras {
            forwardSenderName = forwardSenderName == null ? "" : forwardSenderName;
            reactions = reactions == null ? List.of() : List.copyOf(reactions);
            mentions = mentions == null ? List.of() : List.copyOf(mentions);
            media = media == null ? com.google.protobuf.ByteString.EMPTY : media;
        }

        public Extras(long replyToSeq, long forwardSenderId, String forwardSenderName, long forwardTsMs,
                      long editedAtMs, boolean recalled, List<Reaction> reactions, List<Long> mentions) {
            this(replyToSeq, forwardSenderId, forwardSenderName, forwardTsMs, editedAtMs, recalled, reactions, mentions,
                    com.google.protobuf.ByteString.EMPTY);
        }

        public Extras withMedia(com.google.protobuf.ByteString m) {
            return new Extras(replyToSeq, forwardSenderId, forwardSenderName, forwardTsMs, editedAtMs, recalled,
                    reactions, mentions, m);
        }

        public boolean hasMedia() {
            return !media.isEmpty();
        }

        public Extras(long replyToSeq, long forwardSenderId, String forwardSenderName, long forwardTsMs,
                      long editedAtMs, boolean recalled, List<Reaction> reactions) {
            this(replyToSeq, forwardSenderId, forwardSenderName, forwardTsMs, editedAtMs, recalled, reactions, List.of());
        }

        public Extras withMentions(List<Long> ids) {
            return new Extras(replyToSeq, forwardSenderId, forwardSenderName, forwardTsMs, editedAtMs, recalled,
                    reactions, ids, media);
        }

        public Extras(long replyToSeq, long forwardSenderId, String forwardSenderName, long forwardTsMs,
                      long editedAtMs, boolean recalled) {
            this(replyToSeq, forwardSenderId, forwardSenderName, forwardTsMs, editedAtMs, recalled, List.of());
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
                e.forwardTsMs(), atMs, false, e.reactions(), e.mentions(), e.media()));
    }

    /** This message with the reaction counts {@code counts}. */
    public MessageRecord withReactions(List<Reaction> counts) {
        Extras e = extras;
        return new MessageRecord(conversationId, seq, senderId, senderName, senderDeviceId, clientMsgId, contentType,
                bodyKind, body, tsMs, new Extras(e.replyToSeq(), e.forwardSenderId(), e.forwardSenderName(),
                e.forwardTsMs(), e.editedAtMs(), e.recalled(), counts, e.mentions(), e.media()));
    }

    /** This message deleted for everyone: its content is gone, its place in the conversation stays. */
    public MessageRecord recalled() {
        Extras e = extras;
        return new MessageRecord(conversationId, seq, senderId, senderName, senderDeviceId, clientMsgId, "",
                BodyKind.DATA, new byte[0], tsMs, new Extras(e.replyToSeq(), 0, "", 0, e.editedAtMs(), true));
    }
}
