package dev.tern.core.tests;

import dev.tern.core.message.Outgoing;

import java.util.UUID;

/**
 * Builds a {@link Outgoing} step by step, so a test names only what it is about. Text and data are
 * one choice (setting one clears the other), and so are conversation and peer, as a client's send
 * has them.
 */
final class OutgoingBuilder {
    private long conversationId;
    private String peer;
    private String clientMsgId = UUID.randomUUID().toString();
    private String contentType = "";
    private String text;
    private byte[] data;
    private boolean retry;
    private long replyToSeq;
    private Outgoing.Ref forward;

    /** A send to nothing yet, with a fresh client id and no content. */
    static OutgoingBuilder empty() {
        return new OutgoingBuilder();
    }

    /** A text/plain send of {@code text} to {@code conversationId}, with a fresh client id. */
    static OutgoingBuilder text(long conversationId, String text) {
        return empty().conversation(conversationId).contentType("text/plain").text(text);
    }

    /** A text/plain send of {@code text} to the direct chat with {@code peer}, with a fresh client id. */
    static OutgoingBuilder textTo(String peer, String text) {
        return empty().peer(peer).contentType("text/plain").text(text);
    }

    OutgoingBuilder conversation(long id) {
        conversationId = id;
        peer = null;
        return this;
    }

    OutgoingBuilder peer(String username) {
        peer = username;
        conversationId = 0;
        return this;
    }

    OutgoingBuilder clientMsgId(String id) {
        clientMsgId = id;
        return this;
    }

    OutgoingBuilder contentType(String type) {
        contentType = type;
        return this;
    }

    OutgoingBuilder text(String t) {
        text = t;
        data = null;
        return this;
    }

    OutgoingBuilder data(byte[] d) {
        data = d;
        text = null;
        return this;
    }

    /** No content at all (a forward, or a send that forgot it). */
    OutgoingBuilder noContent() {
        text = null;
        data = null;
        return this;
    }

    OutgoingBuilder retry(boolean r) {
        retry = r;
        return this;
    }

    OutgoingBuilder replyTo(long seq) {
        replyToSeq = seq;
        return this;
    }

    OutgoingBuilder forward(long fromConversation, long seq) {
        forward = new Outgoing.Ref(fromConversation, seq);
        return this;
    }

    Outgoing build() {
        return new Outgoing(conversationId, peer, clientMsgId, contentType, text, data, retry, replyToSeq, forward, "");
    }
}
