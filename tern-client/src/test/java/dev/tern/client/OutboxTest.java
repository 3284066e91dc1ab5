package dev.tern.client;

import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Send;
import dev.tern.protocol.v1.SendAck;
import dev.tern.client.PlayedConnection.Transmission;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.tern.client.PlayedConnection.failure;
import static dev.tern.client.PlayedConnection.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox's order, ids and retry rules against a connection the test plays; the pacing of a burst
 * is {@link OutboxPacingTest}'s.
 */
class OutboxTest {
    private final PlayedConnection conn = new PlayedConnection();
    private final List<Transmission> wire = conn.wire;
    private final ManualScheduler scheduler = conn.scheduler;
    private final Outbox outbox = conn.outbox;

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
        conn.ready = false;
        outbox.add(send("a"));
        outbox.add(send("b"));
        assertThat(wire).isEmpty();
        conn.ready = true;
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
        conn.ready = true;
        outbox.flush(); // the resume
        assertThat(ids()).containsExactly("a", "b", "a", "b");
        assertThat(wire.subList(2, 4)).allSatisfy(t -> assertThat(t.send().getRetry()).isTrue());
        scheduler.advance(60_000);
        assertThat(wire).as("each resent once").hasSize(4);
    }

    @Test
    void aResumeTransmitsTheLostSendsAtOnceWithoutABackoff() {
        twoSendsLostWithTheConnection();
        conn.ready = true;
        outbox.flush();
        assertThat(ids()).as("a lost connection is no refusal: nothing to wait out").containsExactly("a", "b", "a", "b");
        assertThat(scheduler.delays()).isEmpty();
    }

    @Test
    void anAnswerLostOnAConnectionStillUpIsRetriedAfterABackoff() {
        outbox.add(send("a"));
        wire.get(0).lose(); // a request timeout: the session is still up, no resume will come
        assertThat(scheduler.delays()).hasSize(1);
        assertThat(scheduler.delays().getFirst()).isBetween(50L, 100L);
        scheduler.advance(100);
        assertThat(ids()).containsExactly("a", "a");
        assertThat(wire.get(1).send().getRetry()).isTrue();
    }

    @Test
    void aLateAnswerToATransmissionGivenUpAtAReconnectChangesNothing() {
        outbox.add(send("a"));
        conn.ready = false;
        conn.ready = true;
        outbox.flush(); // a reconnect before the first answer came
        assertThat(ids()).containsExactly("a", "a");
        wire.get(0).refuse(ErrorCode.STORAGE_UNAVAILABLE, true, 0);
        assertThat(scheduler.delays()).as("the current transmission answers for the send").isEmpty();
        wire.get(1).ack();
        assertThat(outbox.size()).isZero();
    }

    @Test
    void anAckToAnEarlierTransmissionCompletesTheSend() {
        CompletableFuture<SendAck> a = outbox.add(send("a"));
        outbox.flush();
        wire.get(0).ack(); // stored the first time; the second transmission's answer comes too late
        assertThat(a).isCompleted();
        wire.get(1).refuse(ErrorCode.STORAGE_UNAVAILABLE, true, 0);
        assertThat(scheduler.delays()).isEmpty();
        assertThat(wire).hasSize(2);
    }

    @Test
    void aTransmissionThatFailsAtOnceIsRetriedInOrderAfterThePump() {
        // The connection went away between "ready" and the transmission: the future fails at once.
        List<String> sent = new ArrayList<>();
        boolean[] broken = {true};
        Outbox box = new Outbox(() -> true, s -> {
            sent.add(s.getClientMsgId());
            return broken[0] ? CompletableFuture.failedFuture(new TernException(ErrorCode.SHUTTING_DOWN,
                    "not connected", true, 0)) : new CompletableFuture<>();
        }, scheduler);
        box.add(send("a"));
        assertThat(sent).containsExactly("a");
        box.add(send("b"));
        assertThat(sent).as("b waits behind a's backoff").containsExactly("a");
        broken[0] = false;
        scheduler.advance(100);
        assertThat(sent).containsExactly("a", "a", "b");
        assertThat(box.size()).isEqualTo(2);
    }

    @Test
    void failAllCompletesEverySendWithTheReason() {
        CompletableFuture<SendAck> a = outbox.add(send("a"));
        conn.ready = false;
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
        conn.ready = false;
        wire.get(0).lose();
        wire.get(1).lose();
    }

    private List<String> ids() {
        return conn.ids();
    }
}
