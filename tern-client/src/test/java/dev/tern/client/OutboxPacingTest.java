package dev.tern.client;

import dev.tern.client.PlayedConnection.Transmission;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.SendAck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static dev.tern.client.PlayedConnection.failure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The paced outbox of docs/protocol.md section 3 ("Pace, do not resend the backlog"), step by step
 * against a connection the test plays: the window, the gap learnt from hints, one send at a time
 * while pacing, the gap's end with the burst, and what a reconnect, a backoff or SLOW_MODE do to it.
 */
class OutboxPacingTest {
    private final PlayedConnection conn = new PlayedConnection();

    @Test
    void whileNothingIsRefusedEightSendsAreInFlightAndEachAnswerLetsTheNextOneGo() {
        conn.add(ids(1, 20));
        assertThat(conn.ids()).containsExactlyElementsOf(List.of(ids(1, 8)));
        conn.wire.get(3).ack(); // answers may come in any order
        assertThat(conn.idsFrom(8)).containsExactly("s9");
        conn.wire.get(0).ack();
        conn.wire.get(1).ack();
        assertThat(conn.idsFrom(8)).containsExactly("s9", "s10", "s11");
        assertThat(conn.inFlight()).hasSize(Outbox.WINDOW);
        assertThat(conn.wire).allSatisfy(t -> assertThat(t.send().getRetry()).isFalse());
        assertThat(conn.scheduler.delays()).as("no timer while nothing is refused").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = {"SEND_RATE_DEVICE", "SEND_RATE_USER", "OVERLOADED"})
    void aRefusalForPaceSetsTheGapToItsHintAndTheRefusedSendGoesAloneAfterIt(ErrorCode code) {
        conn.add(ids(1, 10));
        long t0 = conn.nowMs();
        // s3 is refused; with ordered sends the server refuses s4..s8 behind it too, same code and hint.
        conn.wire.subList(2, 8).forEach(t -> t.refuse(code, true, 50));
        assertThat(conn.wire).as("no more while pacing, though 6 of 8 places are free").hasSize(8);
        conn.wire.get(0).ack(); // s1 and s2 were ordered before; their acks come after the fsync
        conn.wire.get(1).ack();
        assertThat(conn.wire).as("no transmission before the hint").hasSize(8);
        conn.advanceTo(t0 + 49);
        assertThat(conn.wire).hasSize(8);
        conn.advanceTo(t0 + 50 + 12); // the hint plus at most a quarter
        assertThat(conn.idsFrom(8)).as("the refused send again, alone, marked as a retry").containsExactly("s3");
        assertThat(conn.last("s3").send().getRetry()).isTrue();
    }

    @Test
    void whilePacingOneSendIsInFlightAtATimeEachAGapAfterThePreviousWentOut() {
        Transmission s3 = pacingAt50Ms();
        conn.advance(500);
        conn.add("s11", "s12");
        assertThat(conn.wire.getLast()).as("nothing else while s3 is in flight, however long").isSameAs(s3);
        s3.ack();
        assertThat(conn.idsFrom(9)).as("s3 went out more than a gap ago: s4 at once").containsExactly("s4");
        long s4At = conn.last("s4").atMs();
        conn.last("s4").ack();
        assertThat(conn.idsFrom(9)).as("s5 a gap after s4 went out, not after s4's ack").containsExactly("s4");
        conn.advanceTo(s4At + 49);
        assertThat(conn.idsFrom(9)).containsExactly("s4");
        conn.advanceTo(s4At + 50);
        assertThat(conn.idsFrom(9)).containsExactly("s4", "s5");
        assertThat(conn.last("s5").send().getRetry()).as("s5's first transmission was refused").isTrue();
        assertThat(conn.inFlight()).hasSize(1);
    }

    @Test
    void aPacedSendRefusedAnywayWentOutThatMuchTooEarlySoItsHintIsAddedToTheGap() {
        Transmission s3 = pacingAt50Ms();
        s3.refuse(ErrorCode.SEND_RATE_DEVICE, true, 30);
        long refusedAt = conn.nowMs();
        conn.advanceTo(refusedAt + 29);
        assertThat(conn.idsFrom(9)).isEmpty();
        conn.advanceTo(refusedAt + 30 + 7);
        assertThat(conn.idsFrom(9)).containsExactly("s3");
        long s3At = conn.last("s3").atMs();
        conn.last("s3").ack();
        conn.advanceTo(s3At + 79);
        assertThat(conn.idsFrom(9)).as("the gap is 50 + 30 now").containsExactly("s3");
        conn.advanceTo(s3At + 80);
        assertThat(conn.idsFrom(9)).containsExactly("s3", "s4");
    }

    @Test
    void theGapEndsWithTheBurstTheNextSendsGoOutAsAWindowAgain() {
        Transmission s3 = pacingAt50Ms();
        s3.ack();
        for (int i = 4; i <= 10; i++) {
            conn.advance(50);
            conn.last("s" + i).ack();
        }
        assertThat(conn.outbox.size()).isZero();
        conn.add(ids(11, 30));
        assertThat(conn.inFlight()).extracting(Transmission::id).containsExactly(ids(11, 18));
    }

    @Test
    void aSendBackingOffFromAStorageFailureHoldsBackTheUnsentButPacesNothing() {
        conn.add(ids(1, 4));
        conn.wire.get(0).refuse(ErrorCode.STORAGE_UNAVAILABLE, true, 0);
        long delay = conn.scheduler.delays().getLast();
        assertThat(delay).as("50 ms·2 jittered").isBetween(50L, 100L);
        conn.add(ids(5, 12));
        assertThat(conn.ids()).as("s2..s4 went before the failure; s5.. wait behind s1").containsExactly(ids(1, 4));
        conn.wire.subList(1, 4).forEach(Transmission::ack); // failed after ordering: no barrier, they may overtake
        conn.advance(delay);
        assertThat(conn.idsFrom(4)).as("then a window again, s1 first").containsExactly("s1", "s5", "s6", "s7", "s8",
                "s9", "s10", "s11");
        conn.last("s1").refuse(ErrorCode.STORAGE_UNAVAILABLE, true, 0);
        assertThat(conn.scheduler.delays().getLast()).as("50 ms·4 jittered").isBetween(100L, 200L);
    }

    @Test
    void aStorageFailureHintLongerThanTheBackoffIsWaitedOut() {
        conn.add("s1");
        conn.wire.getFirst().refuse(ErrorCode.STORAGE_UNAVAILABLE, true, 2_000);
        assertThat(conn.scheduler.delays().getLast()).isBetween(2_000L, 2_500L);
    }

    @Test
    void slowModeIsReportedAndTheOthersGoOnUnpaced() {
        conn.add(ids(1, 9));
        CompletableFuture<SendAck> s2 = conn.outbox.add(PlayedConnection.send("s2")); // the same send
        conn.wire.get(1).refuse(ErrorCode.SLOW_MODE, true, 60_000);
        assertThat(failure(s2).code()).isEqualTo(ErrorCode.SLOW_MODE);
        assertThat(failure(s2).retryAfterMs()).isEqualTo(60_000);
        assertThat(conn.idsFrom(8)).as("its place in the window goes to s9").containsExactly("s9");
        assertThat(conn.scheduler.delays()).isEmpty();
    }

    @Test
    void afterAReconnectTheSendsInFlightGoOutAgainAsRetriesAndTheGapStays() {
        Transmission s3 = pacingAt50Ms();
        conn.ready = false;
        s3.lose();
        conn.advance(1_000);
        assertThat(conn.idsFrom(9)).as("nothing without a session").isEmpty();
        conn.ready = true;
        conn.outbox.flush(); // the resume
        assertThat(conn.idsFrom(9)).as("still pacing: s3 alone").containsExactly("s3");
        assertThat(conn.last("s3").send().getRetry()).isTrue();
        long s3At = conn.last("s3").atMs();
        conn.last("s3").ack();
        conn.advanceTo(s3At + 50);
        assertThat(conn.idsFrom(9)).containsExactly("s3", "s4");
    }

    @Test
    void afterAReconnectWithoutPacingTheWholeWindowGoesOutAgainAsRetries() {
        conn.add(ids(1, 12));
        conn.wire.get(0).ack(); // s9 goes in its place
        conn.ready = false;
        conn.inFlight().forEach(Transmission::lose);
        conn.ready = true;
        conn.outbox.flush();
        assertThat(conn.idsFrom(9)).containsExactly(ids(2, 9));
        assertThat(conn.wire.subList(9, 17)).allSatisfy(t -> assertThat(t.send().getRetry()).isTrue());
        assertThat(conn.wire.get(8).send().getRetry()).as("s9's first transmission").isFalse();
    }

    /**
     * s1..s10 added; s3 refused with SEND_RATE_DEVICE and a 50 ms hint, s4..s8 with it, s1 and s2 acked;
     * then s3 transmitted again, alone. Returns that transmission (unanswered): the 9th on the wire.
     */
    private Transmission pacingAt50Ms() {
        conn.add(ids(1, 10));
        conn.wire.subList(2, 8).forEach(t -> t.refuse(ErrorCode.SEND_RATE_DEVICE, true, 50));
        conn.wire.get(0).ack();
        conn.wire.get(1).ack();
        conn.advance(50 + 12);
        assertThat(conn.ids()).hasSize(9);
        return conn.wire.getLast();
    }

    private static String[] ids(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "s" + i).toArray(String[]::new);
    }
}
