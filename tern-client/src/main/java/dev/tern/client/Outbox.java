package dev.tern.client;

import dev.tern.protocol.v1.Send;
import dev.tern.protocol.v1.SendAck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Sends not yet acknowledged, in the order they were made. Each is transmitted under its one
 * client message id until an ack or a final refusal. Transmission is in order, and a send waiting
 * out a retry delay holds back the ones not yet transmitted behind it, so across reconnects the
 * server orders a device's messages as the application made them; sends already in flight behind
 * one refused for load or pace are refused too (the client says ordered_sends in hello), so none
 * overtakes it. One limit: behind a send that fails after ordering (STORAGE_UNAVAILABLE) they may.
 * Retry delays are jittered exponential backoff, never shorter than the server's retry-after hint.
 * SLOW_MODE is retryable but not retried here: its wait is the group's rule (up to a day), which
 * the application shows; retrying it would send the message much later and hold every send behind.
 *
 * <p>The outbox knows the connection only as two functions, whether it may transmit and one
 * transmission (the client's), so its retry rules can be tested without a server.
 */
final class Outbox {
    private static final class Pending {
        final Send send;
        final CompletableFuture<SendAck> result = new CompletableFuture<>();
        int attempts;
        boolean inFlight;
        long notBeforeNanos;

        Pending(Send send) {
            this.send = send;
        }
    }

    private final BooleanSupplier ready;
    private final Function<Send, CompletableFuture<SendAck>> transmit;
    private final Scheduler scheduler;
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    /**
     * @param ready    whether a transmission may go now (connected and signed in)
     * @param transmit one transmission on the current connection; its future fails on a refusal
     */
    Outbox(BooleanSupplier ready, Function<Send, CompletableFuture<SendAck>> transmit, Scheduler scheduler) {
        this.ready = ready;
        this.transmit = transmit;
        this.scheduler = scheduler;
    }

    CompletableFuture<SendAck> add(Send send) {
        synchronized (this) {
            Pending existing = pending.get(send.getClientMsgId());
            if (existing != null) {
                return existing.result;
            }
            Pending p = new Pending(send);
            pending.put(send.getClientMsgId(), p);
            pump();
            return p.result;
        }
    }

    synchronized int size() {
        return pending.size();
    }

    /** After a reconnect: everything in flight on the old connection is transmitted again, in order. */
    synchronized void flush() {
        pending.values().forEach(p -> p.inFlight = false);
        pump();
    }

    void failAll(RuntimeException e) {
        List<Pending> all;
        synchronized (this) {
            all = new ArrayList<>(pending.values());
            pending.clear();
        }
        all.forEach(p -> p.result.completeExceptionally(e));
    }

    /** Transmits, in order, every send that is due; stops at the first one still waiting to retry. */
    private synchronized void pump() {
        if (!ready.getAsBoolean()) {
            return; // flush() runs after the next resume
        }
        long now = scheduler.nanoTime();
        for (Pending p : pending.values()) {
            if (p.inFlight) {
                continue;
            }
            if (p.notBeforeNanos - now > 0) {
                break;
            }
            p.inFlight = true;
            p.attempts++;
            // From the second transmission on, the server may have the send already: say so, and it
            // answers a stored one with its first ack before giving it new numbers.
            Send send = p.attempts == 1 ? p.send : p.send.toBuilder().setRetry(true).build();
            transmit.apply(send).whenComplete((ack, error) -> completed(p, ack, error));
        }
    }

    private void completed(Pending p, SendAck ack, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        synchronized (this) {
            p.inFlight = false;
            if (error == null || cause instanceof TernException te
                    && (!te.retryable() || te.code() == dev.tern.protocol.v1.ErrorCode.SLOW_MODE)) {
                pending.remove(p.send.getClientMsgId());
            } else {
                int hint = cause instanceof TernException te ? te.retryAfterMs() : 0;
                // The server's hint plus up to a quarter more: clients refused together must not all
                // come back in the same millisecond.
                long hinted = hint <= 0 ? 0 : hint + ThreadLocalRandom.current().nextLong(hint / 4 + 1);
                long delay = Math.max(hinted, Backoff.SEND_RETRY.delayMs(p.attempts - 1, ThreadLocalRandom.current()));
                p.notBeforeNanos = scheduler.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
                try {
                    scheduler.schedule(this::pump, delay);
                } catch (RejectedExecutionException closed) {
                    pending.remove(p.send.getClientMsgId());
                    p.result.completeExceptionally(cause);
                }
                return;
            }
        }
        if (error == null) {
            p.result.complete(ack);
        } else {
            p.result.completeExceptionally(cause);
        }
    }
}
