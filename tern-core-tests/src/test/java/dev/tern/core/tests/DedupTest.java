package dev.tern.core.tests;

import dev.tern.core.Failure;
import dev.tern.core.Principal;
import dev.tern.core.ledger.Dedup;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Send;
import dev.tern.protocol.v1.SendAck;
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

    private static Send send(long conversationId, String clientId, boolean retry) {
        return CoreFixture.text(conversationId, "hello").setClientMsgId(clientId).setRetry(retry).build();
    }

    @Test
    void aRetryGetsTheFirstAckAndStoresNothing() {
        SendAck first = await(fx.messaging.send(alice, send(g, "c-1", false)));
        long batches = fx.store.batchesWritten();
        SendAck again = await(fx.messaging.send(alice, send(g, "c-1", true)));
        assertThat(again.getDuplicate()).isTrue();
        assertThat(again.toBuilder().setDuplicate(false).build()).isEqualTo(first);
        assertThat(fx.store.batchesWritten()).isEqualTo(batches);
        // Answered before ordering, it took no number: the next send follows on without a gap.
        SendAck next = fx.send(alice, g, "next");
        assertThat(next.getSeq()).isEqualTo(first.getSeq() + 1);
        assertThat(next.getPrevPts()).isEqualTo(first.getPts());
    }

    @Test
    void aRepeatWithoutTheRetryFlagIsRecognisedAtCommitAndStoresNoMessage() {
        SendAck first = await(fx.messaging.send(alice, send(g, "c-2", false)));
        SendAck again = await(fx.messaging.send(alice, send(g, "c-2", false)));
        assertThat(again.getDuplicate()).isTrue();
        assertThat(again.getSeq()).isEqualTo(first.getSeq());
        assertThat(again.getPts()).isEqualTo(first.getPts());
        assertThat(fx.history(bob, g).getMessagesList()).extracting(m -> m.getClientMsgId())
                .containsExactly("c-2", "");
        assertThat(fx.store.updatesAfter(bob.userId(), 0, 100)).hasSize(2);
    }

    @Test
    void concurrentRepeatsJoinOneOutcome() throws Exception {
        fx.gate.close();
        CompletableFuture<SendAck> first = fx.messaging.send(alice, send(g, "c-3", false));
        fx.gate.awaitHeld();
        CompletableFuture<SendAck> second = fx.messaging.send(alice, send(g, "c-3", true));
        CompletableFuture<SendAck> third = fx.messaging.send(alice, send(g, "c-3", false));
        assertThat(second).isNotDone();
        fx.gate.open();
        SendAck a = await(first);
        assertThat(a.getDuplicate()).isFalse();
        for (SendAck repeat : List.of(await(second), await(third))) {
            assertThat(repeat.getDuplicate()).isTrue();
            assertThat(repeat.getSeq()).isEqualTo(a.getSeq());
            assertThat(repeat.getPts()).isEqualTo(a.getPts());
        }
        assertThat(fx.store.lastSeq(g)).isEqualTo(a.getSeq());
    }

    @Test
    void aRetryAfterTheWindowIsANewMessage() {
        SendAck first = await(fx.messaging.send(alice, send(g, "c-4", false)));
        fx.clock.advance(CoreFixture.DEDUP_WINDOW.plusSeconds(1));
        SendAck late = await(fx.messaging.send(alice, send(g, "c-4", true)));
        assertThat(late.getDuplicate()).isFalse();
        assertThat(late.getSeq()).isEqualTo(first.getSeq() + 1);
        assertThat(fx.history(bob, g).getMessagesCount()).isEqualTo(3);
    }

    @Test
    void aRetryJustInsideTheWindowIsStillRecognised() {
        SendAck first = await(fx.messaging.send(alice, send(g, "c-5", false)));
        fx.clock.advance(CoreFixture.DEDUP_WINDOW.minus(Duration.ofSeconds(1)));
        SendAck retry = await(fx.messaging.send(alice, send(g, "c-5", true)));
        assertThat(retry.getDuplicate()).isTrue();
        assertThat(retry.getSeq()).isEqualTo(first.getSeq());
        assertThat(retry.getTsMs()).isEqualTo(first.getTsMs());
    }

    @Test
    void twoDevicesWithTheSameClientIdMakeTwoMessages() {
        Principal phone = fx.login("alice");
        SendAck fromLaptop = await(fx.messaging.send(alice, send(g, "same", false)));
        SendAck fromPhone = await(fx.messaging.send(phone, send(g, "same", true)));
        assertThat(fromPhone.getDuplicate()).isFalse();
        assertThat(fromPhone.getSeq()).isEqualTo(fromLaptop.getSeq() + 1);
    }

    @Test
    void clientIdsMustBeOneTo64Characters() {
        assertThat(codeOf(() -> fx.messaging.send(alice, send(g, "", false)))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(codeOf(() -> fx.messaging.send(alice, send(g, "x".repeat(65), false))))
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(await(fx.messaging.send(alice, send(g, "x".repeat(64), false))).getSeq()).isEqualTo(2);
        assertThatThrownBy(() -> new Dedup.Key(1, null)).isInstanceOf(Failure.class);
    }

    @Test
    void aRefusedSendLeavesItsClientIdFree() {
        fx.blocks.block(bob, "alice", false).join();
        Send toBob = Send.newBuilder().setPeer("bob").setClientMsgId("c-6").setContentType("text/plain")
                .setText("hi").build();
        assertThat(codeOf(() -> fx.messaging.send(alice, toBob))).isEqualTo(ErrorCode.BLOCKED);
        // Nothing was remembered for the refusal: the same id may carry the next send.
        SendAck ok = await(fx.messaging.send(alice, send(g, "c-6", true)));
        assertThat(ok.getDuplicate()).isFalse();
        assertThat(fx.dedup.prior(new Dedup.Key(alice.deviceId(), "c-6"))).get()
                .extracting(d -> d.seq()).isEqualTo(ok.getSeq());
    }

    @Test
    void aClientIdUsedForACreationIsNotTakenForAnEarlierSend() {
        long other = await(fx.groups.create(alice, dev.tern.protocol.v1.CreateGroup.newBuilder().setTitle("t")
                .setClientId("shared").build())).getConversationId();
        for (boolean retry : List.of(false, true)) {
            // The id names a creation, not a message: answering this send as its duplicate would ack a
            // message that was never stored, with the numbers of another conversation's service message.
            SendAck ack = await(fx.messaging.send(alice, send(g, "shared", retry)));
            assertThat(ack.getConversationId()).isEqualTo(g).isNotEqualTo(other);
            assertThat(ack.getDuplicate()).isEqualTo(retry);
            assertThat(fx.store.message(g, ack.getSeq())).get().extracting(m -> m.clientMsgId()).isEqualTo("shared");
        }
        assertThat(fx.history(bob, g).getMessagesCount()).isEqualTo(2);
        // The id now names a message: a late retry of the creation is refused, not answered.
        assertThat(codeOf(() -> fx.groups.create(alice, dev.tern.protocol.v1.CreateGroup.newBuilder().setTitle("t")
                .setClientId("shared").build()))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }
}
