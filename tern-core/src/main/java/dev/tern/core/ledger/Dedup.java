package dev.tern.core.ledger;

import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.core.store.DedupRecord;
import dev.tern.core.store.StoreReads;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one place that recognises repeated requests: a device's send or creation retried with the same
 * client id gets the first outcome instead of a second message or conversation.
 *
 * <p>Three layers, each covering what the previous cannot: a repeat that arrives while the first is
 * still being ordered joins it ({@link Runs}); a repeat of a durable request is answered from its
 * dedup record, written in the same atomic batch as the request's effects ({@link #remember}); and a
 * repeat racing the first through ordering is caught on the committer just before the write
 * ({@link #onCommit}). Records are recognised for {@code window} after the first outcome, then swept
 * ({@link Sweeper}); a client that retries later than that may create a duplicate, which the protocol
 * documents.
 */
public final class Dedup {
    /** Longest client id a device may choose. */
    public static final int MAX_ID = 64;

    /** A device's request id. Device ids are unique across users, so the pair names one request. */
    public record Key(long deviceId, String clientId) {
        public Key {
            if (clientId == null || clientId.isEmpty() || clientId.length() > MAX_ID) {
                throw new Failure(ErrorCode.INVALID_ARGUMENT, "a client id must be 1-" + MAX_ID + " characters");
            }
        }
    }

    private final StoreReads store;
    private final Duration window;
    private final InstantSource clock;

    public Dedup(StoreReads store, Duration window, InstantSource clock) {
        this.store = store;
        this.window = window;
        this.clock = clock;
    }

    /**
     * The oldest first outcome still recognised, in ms: records older than this are answered as
     * unknown here and deleted by the {@link Sweeper}, both from this one bound.
     */
    public long horizon() {
        return clock.millis() - window.toMillis();
    }

    /** The first outcome of {@code key} if it is durable and within the window; may read the store. */
    public Optional<DedupRecord> prior(Key key) {
        long horizon = horizon();
        return store.dedup(key.deviceId(), key.clientId()).filter(d -> d.tsMs() >= horizon);
    }

    /**
     * True when {@code d} is a send's record: the message it names carries the client id (a
     * creation's service message carries none). Reads the store.
     */
    public boolean isSend(DedupRecord d) {
        return store.message(d.conversationId(), d.seq()).map(m -> m.clientMsgId().equals(d.clientMsgId()))
                .orElse(false);
    }

    /** The record to write in the request's own batch, so the outcome is durable exactly when its effects are. */
    public static DedupRecord remember(Key key, long conversationId, long seq, long pts, long prevPts, long tsMs) {
        return new DedupRecord(key.deviceId(), key.clientId(), conversationId, seq, pts, prevPts, tsMs);
    }

    /**
     * The first outcome of a send {@code key} repeats: {@link #prior}, if that record is a send's (the
     * message it names carries the client id). A creation's record under the same id is not: taking it
     * for one would acknowledge a message that was never stored, with another conversation's numbers.
     * Reads the store only when a record is found.
     */
    public Optional<DedupRecord> priorSend(Key key) {
        return prior(key).filter(this::isSend);
    }

    /** A check the committer runs just before writing a send: its first outcome ({@link #priorSend}), answered as {@code answer} says. */
    public <T> Prepared.DuplicateCheck<T> onCommit(Key key, Function<DedupRecord, T> answer) {
        return () -> priorSend(key).map(answer).orElse(null);
    }

    /** A fresh set of requests in progress, for one kind of request (their outcomes have one type). */
    public <V> Inflight<Key, V> runs() {
        return new Inflight<>();
    }
}
