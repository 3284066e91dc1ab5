package dev.tern.gateway;

import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.protocol.v1.Send;

/**
 * Keeps one connection's sends in the order the client made them when some are refused on the way.
 *
 * <p>Only for a client that asks for it in {@code hello} ({@code ordered_sends}): it promises to
 * retry a refused send before the ones behind it, which a client sending fresh messages after a
 * refusal (and never the refused one) does not; for it a barrier would refuse everything until it
 * lapsed.
 *
 * <p>A client pipelines sends. When one is refused with a retryable error before it is ordered (the
 * server is overloaded, a rate limit), the sends already on the wire behind it would otherwise be
 * ordered first and the refused one after them when it comes back. So the refused send becomes a
 * barrier: every later send of the connection is refused with the same code and hint, before it is
 * counted against any limit, until the barrier send comes back marked {@code retry} and is ordered
 * (or is refused for good). A client that retries its refused sends in their order (both SDKs do)
 * then gets every message stored in send order. A barrier lapses after {@link #LAPSE_NANOS}, so a
 * client that abandons a refused send is not refused for ever; a new connection starts without one.
 *
 * <p>Used from the event loop (the fast send path) and from the connection's request thread, never
 * at the same time for one connection; synchronized for visibility.
 */
final class SendOrder {
    static final long LAPSE_NANOS = 30_000_000_000L;
    private static final java.util.Set<ErrorCode> HOLDING = java.util.EnumSet.of(ErrorCode.OVERLOADED,
            ErrorCode.SEND_RATE_DEVICE, ErrorCode.SEND_RATE_USER);

    private record Barrier(String clientMsgId, ErrorCode code, int retryAfterMs, long sinceNanos) {}

    private boolean enabled;
    private Barrier barrier;

    /** From {@code hello}: whether this connection's client keeps its sends in order across refusals. */
    synchronized void enable(boolean on) {
        enabled = on;
        if (!on) {
            barrier = null;
        }
    }

    /** Before a send is admitted: refuses it when an earlier refused send has not come back yet. */
    synchronized void check(Send send) {
        Barrier b = barrier;
        if (b == null) {
            return;
        }
        if (System.nanoTime() - b.sinceNanos() > LAPSE_NANOS) {
            barrier = null;
            return;
        }
        if (send.getRetry() && send.getClientMsgId().equals(b.clientMsgId())) {
            return; // the refused send itself, back: it goes first
        }
        throw new Failure(b.code(), "send " + b.clientMsgId() + " was refused before this one; retry it first, "
                + "then this (sends are ordered as they were made)", b.retryAfterMs());
    }

    /** The send was ordered (its ack may still fail later, after the store). */
    synchronized void accepted(Send send) {
        if (barrier != null && barrier.clientMsgId().equals(send.getClientMsgId())) {
            barrier = null;
        }
    }

    /** The send was refused before it was ordered: a retryable refusal holds back the sends behind it. */
    synchronized void refused(Send send, RuntimeException why) {
        if (!enabled) {
            return;
        }
        // Only refusals of load and pace: they pass in moments. Others that are retryable (slow mode,
        // a shutdown, the store failing) last longer than a barrier should, or concern one
        // conversation only; the sends behind them go on.
        boolean retryable = why instanceof Failure f && HOLDING.contains(f.code());
        if (barrier != null && !barrier.clientMsgId().equals(send.getClientMsgId())) {
            return; // refused behind the barrier (or for itself): the barrier stays as it is
        }
        if (retryable) {
            Failure f = (Failure) why;
            barrier = new Barrier(send.getClientMsgId(), f.code(), f.retryAfterMs(), System.nanoTime());
        } else {
            barrier = null; // refused for good: it will not come back, the rest may go on
        }
    }
}
