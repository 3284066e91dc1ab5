package dev.tern.client;

import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Send;
import dev.tern.protocol.v1.SendAck;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection an {@link Outbox} test plays: each transmission is recorded with a future the test
 * completes (an ack, a refusal, a lost connection), whether the session is up is the test's to say,
 * and time moves only by hand.
 */
final class PlayedConnection {
    /** {@code atMs}: when it went out, on {@link #nowMs}'s scale. */
    record Transmission(Send send, CompletableFuture<SendAck> answer, long atMs) {
        String id() {
            return send.getClientMsgId();
        }

        void ack() {
            answer.complete(SendAck.newBuilder().setClientMsgId(id()).build());
        }

        void refuse(ErrorCode code, boolean retryable, int retryAfterMs) {
            answer.completeExceptionally(new TernException(code, "refused", retryable, retryAfterMs));
        }

        void lose() {
            answer.completeExceptionally(new IOException("connection closed"));
        }
    }

    final List<Transmission> wire = new CopyOnWriteArrayList<>();
    final ManualScheduler scheduler = new ManualScheduler();
    volatile boolean ready = true;
    final Outbox outbox = new Outbox(() -> ready, s -> {
        CompletableFuture<SendAck> f = new CompletableFuture<>();
        wire.add(new Transmission(s, f, nowMs()));
        return f;
    }, scheduler);

    /** Adds sends with these client ids, in this order. */
    void add(String... ids) {
        for (String id : ids) {
            outbox.add(send(id));
        }
    }

    /** The client ids of every transmission so far, in order. */
    List<String> ids() {
        return wire.stream().map(Transmission::id).toList();
    }

    /** The client ids of the transmissions from the {@code from}th on. */
    List<String> idsFrom(int from) {
        return ids().subList(from, wire.size());
    }

    /** The transmissions not answered yet. */
    List<Transmission> inFlight() {
        return wire.stream().filter(t -> !t.answer().isDone()).toList();
    }

    /** The latest transmission of send {@code id}. */
    Transmission last(String id) {
        return wire.reversed().stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
    }

    long nowMs() {
        return TimeUnit.NANOSECONDS.toMillis(scheduler.nanoTime());
    }

    void advance(long ms) {
        scheduler.advance(ms);
    }

    /** Moves the clock to {@code ms} on {@link #nowMs}'s scale. */
    void advanceTo(long ms) {
        scheduler.advance(ms - nowMs());
    }

    static Send send(String id) {
        return Send.newBuilder().setConversationId(7).setClientMsgId(id).setContentType("text/plain").setText(id).build();
    }

    /** The refusal a send's future failed with; the outbox completes futures at once, so no waiting. */
    static TernException failure(CompletableFuture<SendAck> f) {
        assertThat(f).isCompletedExceptionally();
        assertThat(f.exceptionNow()).isInstanceOf(TernException.class);
        return (TernException) f.exceptionNow();
    }
}
