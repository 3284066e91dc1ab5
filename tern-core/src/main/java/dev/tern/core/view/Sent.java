package dev.tern.core.view;

/**
 * A send's acknowledgement once the message is durable: its seq, the sender's log entry (pts and
 * the one before) and the server's time. {@code duplicate}: the id was sent before, and this is the
 * first send's answer.
 */
public record Sent(String clientMsgId, long conversationId, long seq, long pts, long prevPts, long tsMs,
                   boolean duplicate) {

    public Sent asDuplicate() {
        return duplicate ? this : new Sent(clientMsgId, conversationId, seq, pts, prevPts, tsMs, true);
    }
}
