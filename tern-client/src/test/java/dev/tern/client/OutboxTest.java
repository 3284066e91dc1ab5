package dev.tern.client;

import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Send;
import dev.tern.protocol.v1.SendAck;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox's retry rules against a connection the test plays: each transmission is recorded with
 * a future the test completes (an ack, a refusal, a lost connection), and time moves only by hand.
 */
class OutboxTest {
    private record Transmission(Send send, CompletableFuture<SendAck> answer) {
        void ack() {
            answer.complete(SendAck.newBuilder().setClientMsgId(send.getClientMsgId()).build());
        }

        void refuse(ErrorCode code, boolean retryable, int retryAfterMs) {
            answer.completeExceptionally(new TernException(code, "refused", retryable, retryAfterMs));
        }
    }

    private final List<Transmission> wire = new CopyOnWriteArrayList<>();
    private volatile boolean ready = true;
    private final ManualScheduler scheduler = new ManualScheduler();
    private final Outbox outbox = new Outbox(() -> ready, s -> {
        CompletableFuture<SendAck> f = new CompletableFuture<>();
        wire.add(new Transmission(s, f));
        return f;
    }, scheduler);

    @Test
    void sendsGoOutInTheOrderTheyWereMadeAndAnAckCompletesTheirFuture() {
        CompletableFuture<SendAck> a = outbox.add(send("a"));
        CompletableFuture<SendAck> b = outbox.add(send("b"));
        assertThat(ids()).containsExactly("a", "b");
        assertThat(wire).allSatisfy(t -> assertThat(t.send().getRetry()).isFalse());
        wire.get(1).ack();
        wire.get(0).ack();
        assertThat(a).isCompletedWithValueMatching(ack -> ack.getClientMsgId().equals("a"));
        assertThat(b).isCompletedWithValueMatching(ack -> ack.getClientMsgId().equals("b"));
        assertThat(outbox.size()).isZero();
    }

    @Test
    void theSameClientIdAddedTwiceIsOneSendWithOneFuture() {
        CompletableFuture<SendAck> first = outbox.add(send("a"));
        CompletableFuture<SendAck> second = outbox.add(send("a"));
        assertThat(second).isSameAs(first);
        assertThat(wire).hasSize(1);
        assertThat(outbox.size()).isEqualTo(1);
    }

    @Test
    void nothingIsTransmittedUntilTheSessionIsUpThenEverythingInOrder() {
        ready = false;
        outbox.add(send("a"));
        outbox.add(send("b"));
        assertThat(wire).isEmpty();
        ready = true;
        outbox.flush();
        assertThat(ids()).containsExactly("a", "b");
    }

    @Test
    void aRetryableRefusalIsResentUnderTheSameClientIdMarkedAsARetry() {
        CompletableFuture<SendAck> a = outbox.add(send("a"));
        wire.get(0).refuse(ErrorCode.STORAGE_UNAVAILABLE, true, 0);
        assertThat(a).isNotDone();
        scheduler.advance(10_000);
        assertThat(wire).hasSize(2);
        Send again = wire.get(1).send();
        assertThat(again.getClientMsgId()).isEqualTo("a");
        assertThat(again.getRetry()).isTrue();
        assertThat(again.toBuilder().setRetry(false).build()).isEqualTo(send("a")); // nothing else changed
        wire.get(1).ack();
        assertThat(a).isCompletedWithValueMatching(ack -> ack.getClientMsgId().equals("a"));
    }

    @Test
    void withoutAHintTheRetriesBackOffExponentiallyWithJitter() {
        outbox.add(send("a"));
        for (int retry = 0; retry < 5; retry++) {
            wire.getLast().refuse(ErrorCode.STORAGE_UNAVAILABLE, true, 0);
            long base = 100L << retry;
            assertThat(scheduler.delays().getLast()).as("retry %d", retry).isBetween(base / 2, base);
            scheduler.advance(base);
        }
        assertThat(wire).hasSize(6);
    }

    @Test
    void anOverloadedHintIsWaitedOutPlusUpToAQuarterButNoLonger() {
        outbox.add(send("a"));
        wire.get(0).refuse(ErrorCode.OVERLOADED, true, 2_000);
        long delay = scheduler.delays().getLast();
        assertThat(delay).isBetween(2_000L, 2_500L);
        scheduler.advance(delay - 1);
        assertThat(wire).as("not before the hint").hasSize(1);
        scheduler.advance(1);
        assertThat(wire).hasSize(2);
        assertThat(wire.get(1).send().getRetry()).isTrue();
    }

    @Test
    void aSendWaitingOutARateLimitHoldsBackTheSendsMadeAfterIt() {
        outbox.add(send("a"));
        wire.get(0).refuse(ErrorCode.RATE_LIMITED, true, 1_000);
        outbox.add(send("b"));
        outbox.add(send("c"));
        assertThat(ids()).as("b and c wait behind a").containsExactly("a");
        scheduler.advance(999);
        assertThat(ids()).as("not before the hint").containsExactly("a");
        scheduler.advance(251);
        assertThat(ids()).containsExactly("a", "a", "b", "c");
    }

    @Test
    void sendsInFlightBehindARefusedOneAreRetriedInTheirOrderAfterIt() {
        outbox.add(send("a"));
        outbox.add(send("b"));
        outbox.add(send("c"));
        // The server (ordered_sends) refuses the ones behind a refused send too.
        wire.get(0).refuse(ErrorCode.SEND_RATE_DEVICE, true, 500);
        wire.get(1).refuse(ErrorCode.SEND_RATE_DEVICE, true, 500);
        wire.get(2).refuse(ErrorCode.SEND_RATE_DEVICE, true, 500);
        scheduler.advance(700);
        assertThat(ids().subList(3, ids().size())).containsExactly("a", "b", "c");
    }

    @Test
    void slowModeGoesToTheApplicationAndHoldsNothingBack() {
        CompletableFuture<SendAck> a = outbox.add(send("a"));
        wire.get(0).refuse(ErrorCode.SLOW_MODE, true, 30_000);
        assertThat(failure(a).code()).isEqualTo(ErrorCode.SLOW_MODE);
        assertThat(failure(a).retryAfterMs()).as("the application shows the wait").isEqualTo(30_000);
        assertThat(scheduler.delays()).as("no retry scheduled").isEmpty();
        assertThat(outbox.size()).isZero();
        outbox.add(send("b"));
        assertThat(ids()).containsExactly("a", "b");
    }

    @Test
    void aFinalRefusalFailsTheSendWithoutARetry() {
        CompletableFuture<SendAck> a = outbox.add(send("a"));
        wire.get(0).refuse(ErrorCode.NOT_MEMBER, false, 0);
        assertThat(failure(a).code()).isEqualTo(ErrorCode.NOT_MEMBER);
        scheduler.advance(60_000);
        assertThat(wire).hasSize(1);
        assertThat(outbox.size()).isZero();
    }

    @Test
    void afterAReconnectTheSendsLostInFlightAreResentOnceInOrder() {
        twoSendsLostWithTheConnection();
        scheduler.advance(10_000);
        assertThat(wire).as("no transmission without a session").hasSize(2);
        ready = true;
        outbox.flush(); // the resume
        assertThat(ids()).containsExactly("a", "b", "a", "b");
        assertThat(wire.subList(2, 4)).allSatisfy(t -> assertThat(t.send().getRetry()).isTrue());
        scheduler.advance(60_000);
        assertThat(wire).as("each resent once").hasSize(4);
    }

    @Test
    void aResumeSoonerThanTheLostSendsBackoffResendsThemWhenItEnds() {
        twoSendsLostWithTheConnection();
        ready = true;
        outbox.flush();
        assertThat(wire).as("a lost answer counts as a failure: its backoff (up to 100 ms) first").hasSize(2);
        scheduler.advance(100);
        assertThat(ids()).containsExactly("a", "b", "a", "b");
        scheduler.advance(60_000);
        assertThat(wire).hasSize(4);
    }

    @Test
    void failAllCompletesEverySendWithTheReason() {
        CompletableFuture<SendAck> a = outbox.add(send("a"));
        ready = false;
        CompletableFuture<SendAck> b = outbox.add(send("b"));
        outbox.failAll(new TernException(ErrorCode.SHUTTING_DOWN, "client closed", false, 0));
        assertThat(List.of(a, b)).allSatisfy(f -> assertThat(failure(f).code()).isEqualTo(ErrorCode.SHUTTING_DOWN));
        assertThat(outbox.size()).isZero();
    }

    @Test
    void aRetryThatCannotBeScheduledAnyMoreFailsTheSend() {
        CompletableFuture<SendAck> a = outbox.add(send("a"));
        scheduler.shutdown(); // the client closed
        wire.get(0).refuse(ErrorCode.OVERLOADED, true, 100);
        assertThat(failure(a).code()).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(outbox.size()).isZero();
    }

    /** Sends a and b are in flight when the connection drops: their answers fail, and no session is up. */
    private void twoSendsLostWithTheConnection() {
        outbox.add(send("a"));
        outbox.add(send("b"));
        ready = false;
        wire.get(0).answer().completeExceptionally(new IOException("connection closed"));
        wire.get(1).answer().completeExceptionally(new IOException("connection closed"));
    }

    /** The refusal a send's future failed with; the outbox completes futures at once, so no waiting. */
    private static TernException failure(CompletableFuture<SendAck> f) {
        assertThat(f).isCompletedExceptionally();
        assertThat(f.exceptionNow()).isInstanceOf(TernException.class);
        return (TernException) f.exceptionNow();
    }

    private List<String> ids() {
        return wire.stream().map(t -> t.send().getClientMsgId()).toList();
    }

    private static Send send(String id) {
        return Send.newBuilder().setConversationId(7).setClientMsgId(id).setContentType("text/plain").setText(id).build();
    }
}
