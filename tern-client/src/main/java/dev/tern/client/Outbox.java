package dev.tern.client;

import dev.tern.protocol.v1.Send;
import dev.tern.protocol.v1.SendAck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Sends not yet acknowledged, in the order they were made. Each is transmitted under its one
 * client message id until an ack or a final refusal; retryable refusals and lost connections lead
 * to retries with jittered exponential backoff (at least the server's retry-after hint).
 */
final class Outbox {
    private static final class Pending {
        final Send send;
        final CompletableFuture<SendAck> result = new CompletableFuture<>();
        int attempts;
        boolean inFlight;

        Pending(Send send) {
            this.send = send;
        }
    }

    private final TernClient client;
    private final ScheduledExecutorService timer;
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    Outbox(TernClient client, ScheduledExecutorService timer) {
        this.client = client;
        this.timer = timer;
    }

    CompletableFuture<SendAck> add(Send send) {
        Pending p;
        synchronized (this) {
            Pending existing = pending.get(send.getClientMsgId());
            if (existing != null) {
                return existing.result;
            }
            p = new Pending(send);
            pending.put(send.getClientMsgId(), p);
        }
        transmit(p);
        return p.result;
    }

    synchronized int size() {
        return pending.size();
    }

    /** Retransmits everything unacknowledged, in order (after a reconnect). */
    void flush() {
        List<Pending> all;
        synchronized (this) {
            all = new ArrayList<>(pending.values());
        }
        all.forEach(p -> {
            synchronized (this) {
                p.inFlight = false;
            }
            transmit(p);
        });
    }

    void failAll(RuntimeException e) {
        List<Pending> all;
        synchronized (this) {
            all = new ArrayList<>(pending.values());
            pending.clear();
        }
        all.forEach(p -> p.result.completeExceptionally(e));
    }

    private void transmit(Pending p) {
        synchronized (this) {
            if (p.inFlight || p.result.isDone() || !client.ready()) {
                return; // not connected: flush() sends it after the next resume
            }
            p.inFlight = true;
            p.attempts++;
        }
        client.transmit(p.send).whenComplete((ack, error) -> {
            synchronized (this) {
                p.inFlight = false;
            }
            if (error == null) {
                done(p);
                p.result.complete(ack);
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof TernException te && !te.retryable()) {
                done(p);
                p.result.completeExceptionally(te);
                return;
            }
            int hint = cause instanceof TernException te ? te.retryAfterMs() : 0;
            long base = Math.min(10_000, 50L << Math.min(p.attempts, 8));
            long delay = Math.max(hint, base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
            try {
                timer.schedule(() -> transmit(p), delay, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                p.result.completeExceptionally(cause);
            }
        });
    }

    private synchronized void done(Pending p) {
        pending.remove(p.send.getClientMsgId());
    }
}
