package dev.tern.core.view;

/**
 * What a change that committed left behind for its caller: the conversation it touched, the seq of
 * the service message it made (or the message it marked), and the caller's update-log entry (pts 0
 * when it made none). Zero in every field the change had no use for.
 */
public record Committed(long conversationId, long seq, long pts, long prevPts) {

    /** A change that touched no conversation and made no log entry. */
    public static final Committed NONE = new Committed(0, 0, 0, 0);

    /** A change to {@code conversationId} with no seq or log entry of its own. */
    public static Committed in(long conversationId) {
        return new Committed(conversationId, 0, 0, 0);
    }
}
