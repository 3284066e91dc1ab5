package dev.tern.core.view;

/**
 * One entry of a user's update log (pts, and the entry before it), or with pts 0 a change told
 * outside the log (broadcast conversations, delivered markers). {@code mentioned}: the entry's
 * message mentions the user. {@code changeNo}/{@code prevChangeNo}: a change to a broadcast
 * conversation's message, numbered in that conversation's change log (0 otherwise).
 */
public record Update(long pts, long prevPts, Change change, boolean mentioned, long changeNo, long prevChangeNo) {

    /** A log entry. */
    public static Update logged(long pts, long prevPts, Change change) {
        return new Update(pts, prevPts, change, false, 0, 0);
    }

    /** A change told outside the log. */
    public static Update unlogged(Change change) {
        return new Update(0, 0, change, false, 0, 0);
    }

    public Update withMentioned(boolean m) {
        return m == mentioned ? this : new Update(pts, prevPts, change, m, changeNo, prevChangeNo);
    }
}
