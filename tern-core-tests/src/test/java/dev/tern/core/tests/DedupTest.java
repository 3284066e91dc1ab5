package dev.tern.core.tests;

import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.core.Principal;
import dev.tern.core.group.NewGroup;
import dev.tern.core.ledger.Dedup;
import dev.tern.core.message.Outgoing;
import dev.tern.core.view.Sent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.tern.core.tests.CoreFixture.await;
import static dev.tern.core.tests.Refusals.codeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Retried sends: recognised by (device, client id) for the dedup window, answered with the first ack. */
class DedupTest extends CoreTestBase {
    private final long g = fx.group(alice, bob);

    private static Outgoing send(long conversationId, String clientId, boolean retry) {
        return CoreFixture.text(conversationId, "hello").clientMsgId(clientId).retry(retry).build();
    }

    @Test
    void aRetryGetsTheFirstAckAndStoresNothing() {
        Sent first = await(fx.messaging.send(alice, send(g, "c-1", false)));
        long batches = fx.store.batchesWritten();
        Sent again = await(fx.messaging.send(alice, send(g, "c-1", true)));
        assertThat(again.duplicate()).isTrue();
        assertThat(first.duplicate()).isFalse();
        assertThat(again).isEqualTo(first.asDuplicate());
        assertThat(fx.store.batchesWritten()).isEqualTo(batches);
        // Answered before ordering, it took no number: the next send follows on without a gap.
        Sent next = fx.send(alice, g, "next");
        assertThat(next.seq()).isEqualTo(first.seq() + 1);
        assertThat(next.prevPts()).isEqualTo(first.pts());
    }

    @Test
    void aRepeatWithoutTheRetryFlagIsRecognisedAtCommitAndStoresNoMessage() {
        Sent first = await(fx.messaging.send(alice, send(g, "c-2", false)));
        Sent again = await(fx.messaging.send(alice, send(g, "c-2", false)));
        assertThat(again.duplicate()).isTrue();
        assertThat(again.seq()).isEqualTo(first.seq());
        assertThat(again.pts()).isEqualTo(first.pts());
        assertThat(fx.history(bob, g).messages()).extracting(m -> m.record().clientMsgId())
                .containsExactly("c-2", "");
        assertThat(fx.store.updatesAfter(bob.userId(), 0, 100)).hasSize(2);
    }

    @Test
    void concurrentRepeatsJoinOneOutcome() throws Exception {
        fx.gate.close();
        CompletableFuture<Sent> first = fx.messaging.send(alice, send(g, "c-3", false));
        fx.gate.awaitHeld();
        CompletableFuture<Sent> second = fx.messaging.send(alice, send(g, "c-3", true));
        CompletableFuture<Sent> third = fx.messaging.send(alice, send(g, "c-3", false));
        assertThat(second).isNotDone();
        fx.gate.open();
        Sent a = await(first);
        assertThat(a.duplicate()).isFalse();
        for (Sent repeat : List.of(await(second), await(third))) {
            assertThat(repeat.duplicate()).isTrue();
            assertThat(repeat.seq()).isEqualTo(a.seq());
            assertThat(repeat.pts()).isEqualTo(a.pts());
        }
        assertThat(fx.store.lastSeq(g)).isEqualTo(a.seq());
    }

    @Test
    void aRetryAfterTheWindowIsANewMessage() {
        Sent first = await(fx.messaging.send(alice, send(g, "c-4", false)));
        fx.clock.advance(CoreFixture.DEDUP_WINDOW.plusSeconds(1));
        Sent late = await(fx.messaging.send(alice, send(g, "c-4", true)));
        assertThat(late.duplicate()).isFalse();
        assertThat(late.seq()).isEqualTo(first.seq() + 1);
        assertThat(fx.history(bob, g).messages()).hasSize(3);
    }

    @Test
    void aRetryJustInsideTheWindowIsStillRecognised() {
        Sent first = await(fx.messaging.send(alice, send(g, "c-5", false)));
        fx.clock.advance(CoreFixture.DEDUP_WINDOW.minus(Duration.ofSeconds(1)));
        Sent retry = await(fx.messaging.send(alice, send(g, "c-5", true)));
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.seq()).isEqualTo(first.seq());
        assertThat(retry.tsMs()).isEqualTo(first.tsMs());
    }

    @Test
    void twoDevicesWithTheSameClientIdMakeTwoMessages() {
        Principal phone = fx.login("alice");
        Sent fromLaptop = await(fx.messaging.send(alice, send(g, "same", false)));
        Sent fromPhone = await(fx.messaging.send(phone, send(g, "same", true)));
        assertThat(fromPhone.duplicate()).isFalse();
        assertThat(fromPhone.seq()).isEqualTo(fromLaptop.seq() + 1);
    }

    @Test
    void clientIdsMustBeOneTo64Characters() {
        assertThat(codeOf(() -> fx.messaging.send(alice, send(g, "", false)))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(codeOf(() -> fx.messaging.send(alice, send(g, "x".repeat(65), false))))
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(await(fx.messaging.send(alice, send(g, "x".repeat(64), false))).seq()).isEqualTo(2);
        assertThatThrownBy(() -> new Dedup.Key(1, null)).isInstanceOf(Failure.class);
    }

    @Test
    void aRefusedSendLeavesItsClientIdFree() {
        fx.blocks.block(bob, "alice", false).join();
        Outgoing toBob = OutgoingBuilder.textTo("bob", "hi").clientMsgId("c-6").build();
        assertThat(codeOf(() -> fx.messaging.send(alice, toBob))).isEqualTo(ErrorCode.BLOCKED);
        // Nothing was remembered for the refusal: the same id may carry the next send.
        Sent ok = await(fx.messaging.send(alice, send(g, "c-6", true)));
        assertThat(ok.duplicate()).isFalse();
        assertThat(fx.dedup.prior(new Dedup.Key(alice.deviceId(), "c-6"))).get()
                .extracting(d -> d.seq()).isEqualTo(ok.seq());
    }

    @Test
    void aClientIdUsedForACreationIsNotTakenForAnEarlierSend() {
        long other = await(fx.groups.create(alice, new NewGroup("t", List.of(), "shared"))).conversationId();
        for (boolean retry : List.of(false, true)) {
            // The id names a creation, not a message: answering this send as its duplicate would ack a
            // message that was never stored, with the numbers of another conversation's service message.
            Sent ack = await(fx.messaging.send(alice, send(g, "shared", retry)));
            assertThat(ack.conversationId()).isEqualTo(g).isNotEqualTo(other);
            assertThat(ack.duplicate()).isEqualTo(retry);
            assertThat(fx.store.message(g, ack.seq())).get().extracting(m -> m.clientMsgId()).isEqualTo("shared");
        }
        assertThat(fx.history(bob, g).messages()).hasSize(2);
        // The id now names a message: a late retry of the creation is refused, not answered.
        assertThat(codeOf(() -> fx.groups.create(alice, new NewGroup("t", List.of(), "shared"))))
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }
}
