package dev.tern.core.message;

/**
 * A message to send, as the client asked for it.
 *
 * @param conversationId the conversation to post to; 0 when {@code peer} names a direct chat instead
 * @param peer           the username of the other side of a direct chat (created on first send); null
 *                       when {@code conversationId} is set
 * @param clientMsgId    1..64 characters, unique per device: a retry reuses it
 * @param contentType    1..128 characters; empty with media: the media's type
 * @param text           the text, or null when the body is {@code data} or there is none
 * @param data           bytes of a non-text body, or null
 * @param retry          the client may have sent this id before: look it up before ordering
 * @param replyToSeq     0, or the seq of a message of the same conversation the caller can read
 * @param forward        null, or the message whose content and author the new message copies
 * @param mediaId        "" or uploaded media the caller may use (text is then an optional caption)
 */
public record Outgoing(long conversationId, String peer, String clientMsgId, String contentType, String text,
                       byte[] data, boolean retry, long replyToSeq, Ref forward, String mediaId) {

    /** Absent strings are empty: a caller that leaves one out gets the refusal an empty one gets. */
    public Outgoing {
        clientMsgId = clientMsgId == null ? "" : clientMsgId;
        contentType = contentType == null ? "" : contentType;
        mediaId = mediaId == null ? "" : mediaId;
    }

    /** A message of a conversation. */
    public record Ref(long conversationId, long seq) {}

    /** True when the message goes to an existing conversation named by id. */
    public boolean toConversation() {
        return peer == null && conversationId != 0;
    }

    boolean hasText() {
        return text != null;
    }

    boolean hasData() {
        return data != null;
    }

    boolean hasContent() {
        return text != null || data != null;
    }
}
