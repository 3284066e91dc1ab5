package dev.tern.client;

import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Send;
import dev.tern.protocol.v1.SendAck;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Sends not yet acknowledged, in the order they were made, each transmitted under its one client
 * message id until an ack or a final refusal: the paced outbox of docs/protocol.md section 3
 * ("Pace, do not resend the backlog").
 *
 * <p>While nothing is refused, up to {@link #WINDOW} sends are in flight. A refusal for load or pace
 * (OVERLOADED, SEND_RATE_DEVICE, SEND_RATE_USER) sets a gap, the hint, and from then on one send is
 * in flight at a time, each transmitted a gap after the previous one was; a paced send refused
 * anyway went out that much too early, so its hint is added to the gap. The gap returns to 0 when
 * the outbox is empty. So a burst above the server's limit goes out at about the limit's rate with
 * about one transmission per message, instead of every waiting send again after each hint.
 *
 * <p>Order: transmission is in order; the client says ordered_sends in hello, so sends already in
 * flight behind one refused for load or pace are refused too and none overtakes it; they stay in
 * flight until their refusals come back, and pacing waits for that. A send refused with another
 * retryable code (STORAGE_UNAVAILABLE, INTERNAL, SHUTTING_DOWN) is retried after jittered
 * exponential backoff, never sooner than its hint, and holds back the sends behind it that have not
 * gone out; the ones already in flight may overtake it, as a failure after ordering sets no barrier.
 * SLOW_MODE is retryable but not retried here: its wait is the group's rule (up to a day), which the
 * application shows. After a reconnect and resume ({@link #flush}) the sends that were in flight are
 * transmitted again, the gap kept. Every transmission after a send's first carries retry: true.
 *
 * <p>The outbox knows the connection only as two functions, whether it may transmit and one
 * transmission (the client's), so its rules can be tested without a server. Its state is guarded by
 * its monitor; futures are completed after the monitor is released, so the application's callbacks
 * never run under it.
 */
final class Outbox {
    /** Sends in flight at most while nothing is refused for load or pace. */
    static final int WINDOW = 8;
    /** Refusals that hold back the sends behind them on the server and whose hint is a pace. */
    private static final Set<ErrorCode> PACING = EnumSet.of(ErrorCode.OVERLOADED, ErrorCode.SEND_RATE_DEVICE,
            ErrorCode.SEND_RATE_USER);

    private static final class Pending {
        final Send send;
        final CompletableFuture<SendAck> result = new CompletableFuture<>();
        int transmissions;
        int backoffs;        // refusals with a retryable code that is not about load or pace
        boolean inFlight;
        boolean paced;       // its latest transmission went out while pacing
        long sentAtNanos;
        long notBeforeNanos; // a backoff: until then it, and the untransmitted sends behind it, wait
        TernException refusedWith; // its latest retryable refusal, reported if the client closes meanwhile

        Pending(Send send, long now) {
            this.send = send;
            this.notBeforeNanos = now;
        }
    }

    private final BooleanSupplier ready;
    private final Function<Send, CompletableFuture<SendAck>> transmit;
    private final Scheduler scheduler;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private long gapMs;              // from one transmission to the next; 0: not pacing
    private long nextAtNanos;        // while pacing, no transmission before this
    private boolean pumping;
    /** Answers that arrived while {@link #pump} was transmitting (a future failed at once): handled after it. */
    private final ArrayDeque<Runnable> deferred = new ArrayDeque<>();
    /** Futures to complete once the monitor is released. */
    private List<Runnable> settled = new ArrayList<>();
    private boolean wakeScheduled;
    private long wakeAtNanos;
    private long wakeToken;
    private boolean schedulerGone;

    /**
     * @param ready    whether a transmission may go now (connected and signed in)
     * @param transmit one transmission on the current connection; its future fails on a refusal
     */
    Outbox(BooleanSupplier ready, Function<Send, CompletableFuture<SendAck>> transmit, Scheduler scheduler) {
        this.ready = ready;
        this.transmit = transmit;
        this.scheduler = scheduler;
        this.nextAtNanos = scheduler.nanoTime();
    }

    CompletableFuture<SendAck> add(Send send) {
        CompletableFuture<SendAck> result;
        synchronized (this) {
            Pending existing = pending.get(send.getClientMsgId());
            if (existing != null) {
                return existing.result;
            }
            Pending p = new Pending(send, scheduler.nanoTime());
            pending.put(send.getClientMsgId(), p);
            result = p.result;
            pump();
        }
        settle();
        return result;
    }

    synchronized int size() {
        return pending.size();
    }

    /** After a reconnect and resume: the sends in flight on the old connection go out again, in order. */
    void flush() {
        synchronized (this) {
            pending.values().forEach(p -> p.inFlight = false); // their late answers, if any, are ignored
            pump();
        }
        settle();
    }

    void failAll(RuntimeException e) {
        synchronized (this) {
            abandonAll(e, false);
        }
        settle();
    }

    /** Fails every send with {@code e}, or (byOwnRefusal) one waiting out a refusal with that refusal. */
    private void abandonAll(RuntimeException e, boolean byOwnRefusal) {
        for (Pending p : pending.values()) {
            Throwable why = byOwnRefusal && p.refusedWith != null && !p.inFlight ? p.refusedWith : e;
            settled.add(() -> p.result.completeExceptionally(why));
        }
        pending.clear();
        gapMs = 0;
    }

    // ------------------------------------------------------------------ answers

    /** The answer to transmission {@code n} of {@code p}. */
    private void answered(Pending p, int n, SendAck ack, Throwable error) {
        synchronized (this) {
            if (pumping) {
                // Failed at once, inside pump's loop on this thread: handled when the loop is done.
                deferred.add(() -> handle(p, n, ack, error));
                return;
            }
            handle(p, n, ack, error);
            pump();
        }
        settle();
    }

    private void handle(Pending p, int n, SendAck ack, Throwable error) {
        if (pending.get(p.send.getClientMsgId()) != p) {
            return; // finished already (an ack to an earlier transmission, failAll)
        }
        if (error == null) {
            // Any transmission's ack means stored, even one from before a reconnect.
            nextAtNanos = p.sentAtNanos + TimeUnit.MILLISECONDS.toNanos(gapMs);
            finish(p, ack, null);
            return;
        }
        if (!p.inFlight || n != p.transmissions) {
            return; // a transmission given up at a reconnect; the current one answers for it
        }
        p.inFlight = false;
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        long now = scheduler.nanoTime();
        if (!(cause instanceof TernException te)) {
            // The answer was lost: with the connection (the resume's flush transmits it again) or to a
            // request timeout on a connection still up, which is retried as a failure.
            if (ready.getAsBoolean()) {
                backOff(p, 0, now);
            }
        } else if (!te.retryable() || te.code() == ErrorCode.SLOW_MODE) {
            finish(p, null, te);
            return;
        } else if (PACING.contains(te.code())) {
            // Never below 1 ms: a refusal for pace always paces, even from a server that sent no hint.
            long hint = Math.max(1, te.retryAfterMs());
            gapMs = p.paced ? gapMs + hint : Math.max(gapMs, hint);
            // Plus up to a quarter more: clients refused together must not all come back at once.
            long back = now + TimeUnit.MILLISECONDS.toNanos(hint + ThreadLocalRandom.current().nextLong(hint / 4 + 1));
            nextAtNanos = later(nextAtNanos, back);
            p.refusedWith = te;
        } else {
            backOff(p, te.retryAfterMs(), now);
            p.refusedWith = te;
        }
    }

    /** The larger of the hint (plus up to a quarter) and 50 ms·2ⁿ jittered, at most 10 s. */
    private void backOff(Pending p, int hintMs, long now) {
        p.backoffs++;
        long hinted = hintMs <= 0 ? 0 : hintMs + ThreadLocalRandom.current().nextLong(hintMs / 4 + 1);
        long delay = Math.max(hinted, Backoff.SEND_RETRY.delayMs(p.backoffs - 1, ThreadLocalRandom.current()));
        p.notBeforeNanos = now + TimeUnit.MILLISECONDS.toNanos(delay);
        wakeAt(p.notBeforeNanos, now);
    }

    private void finish(Pending p, SendAck ack, Throwable error) {
        pending.remove(p.send.getClientMsgId());
        if (pending.isEmpty()) {
            gapMs = 0; // the burst is over
        }
        settled.add(error == null ? () -> p.result.complete(ack) : () -> p.result.completeExceptionally(error));
    }

    // ------------------------------------------------------------------ transmitting

    /** Transmits what is due now, and wakes itself for what is due later. */
    private void pump() {
        if (pumping) {
            return;
        }
        pumping = true;
        try {
            do {
                while (!deferred.isEmpty()) {
                    deferred.poll().run();
                }
                transmitDue();
            } while (!deferred.isEmpty());
        } finally {
            pumping = false;
        }
        if (schedulerGone) {
            // The client closed: nothing will wake the outbox any more.
            abandonAll(new TernException(ErrorCode.SHUTTING_DOWN, "client closed", false, 0), true);
        }
    }

    private void transmitDue() {
        if (pending.isEmpty() || !ready.getAsBoolean()) {
            return; // flush() runs after the next resume
        }
        long now = scheduler.nanoTime();
        if (gapMs == 0) {
            int inFlight = (int) pending.values().stream().filter(p -> p.inFlight).count();
            for (Pending p : pending.values()) {
                if (inFlight >= WINDOW) {
                    return;
                }
                if (p.inFlight) {
                    continue;
                }
                if (p.notBeforeNanos - now > 0) {
                    wakeAt(p.notBeforeNanos, now); // backing off: the sends behind it wait too
                    return;
                }
                transmit(p, false, now);
                inFlight++;
            }
            return;
        }
        // Pacing: one at a time, the first unacknowledged send, not before its time.
        if (pending.values().stream().anyMatch(p -> p.inFlight)) {
            return;
        }
        Pending first = pending.values().iterator().next();
        long due = later(nextAtNanos, first.notBeforeNanos);
        if (due - now > 0) {
            wakeAt(due, now);
        } else {
            transmit(first, true, now);
        }
    }

    private void transmit(Pending p, boolean paced, long now) {
        p.inFlight = true;
        p.paced = paced;
        p.sentAtNanos = now;
        int n = ++p.transmissions;
        // From the second transmission on, the server may have the send already: say so, and it
        // answers a stored one with its first ack before giving it new numbers.
        Send send = n == 1 ? p.send : p.send.toBuilder().setRetry(true).build();
        CompletableFuture<SendAck> answer;
        try {
            answer = transmit.apply(send);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((ack, error) -> answered(p, n, ack, error));
    }

    /** Runs the pump at {@code due} unless a wake-up at or before it is scheduled already. */
    private void wakeAt(long due, long now) {
        if (wakeScheduled && wakeAtNanos - due <= 0) {
            return;
        }
        long token = wakeToken + 1;
        long delayMs = Math.ceilDiv(Math.max(0, due - now), 1_000_000L);
        try {
            scheduler.schedule(() -> woken(token), delayMs);
        } catch (RejectedExecutionException closed) {
            schedulerGone = true;
            return;
        }
        wakeToken = token;
        wakeScheduled = true;
        wakeAtNanos = due;
    }

    private void woken(long token) {
        synchronized (this) {
            if (token == wakeToken) {
                wakeScheduled = false;
            }
            pump();
        }
        settle();
    }

    /** Completes the futures decided under the monitor, outside it. */
    private void settle() {
        List<Runnable> done;
        synchronized (this) {
            if (settled.isEmpty()) {
                return;
            }
            done = settled;
            settled = new ArrayList<>();
        }
        done.forEach(Runnable::run);
    }

    /** The later of two {@link System#nanoTime} readings (they may wrap: compare differences). */
    private static long later(long a, long b) {
        return a - b > 0 ? a : b;
    }
}
