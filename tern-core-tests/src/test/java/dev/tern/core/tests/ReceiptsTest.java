package dev.tern.core.tests;

import dev.tern.core.Principal;
import dev.tern.core.store.UpdateKind;
import dev.tern.core.store.UpdateRecord;
import dev.tern.protocol.v1.Dialog;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.GetDialogs;
import dev.tern.protocol.v1.Ok;
import dev.tern.protocol.v1.Update;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.tern.core.tests.Refusals.codeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Read and delivered markers: they only rise, and reach whom they should. */
class ReceiptsTest extends CoreTestBase {
    private final long direct;

    ReceiptsTest() {
        for (int i = 1; i <= 4; i++) {
            fx.sendTo(alice, bob, "m" + i);
        }
        direct = fx.store.conversationsOf(alice.userId()).getFirst();
    }

    private Dialog dialog(Principal who, long conversationId) {
        return fx.dialogs.list(who, GetDialogs.getDefaultInstance()).getDialogsList().stream()
                .filter(d -> d.getConversationId() == conversationId).findFirst().orElseThrow();
    }

    @Test
    void aReadMarkerOnlyRises() {
        Ok raised = CoreFixture.await(fx.receipts.markRead(bob, direct, 3));
        assertThat(raised.getPts()).isPositive();
        Ok lower = CoreFixture.await(fx.receipts.markRead(bob, direct, 2));
        assertThat(lower.getPts()).isZero();
        assertThat(CoreFixture.await(fx.receipts.markRead(bob, direct, 3)).getPts()).isZero();
        assertThat(fx.store.readMarker(bob.userId(), direct)).isEqualTo(3);
        assertThat(dialog(bob, direct).getReadUpToSeq()).isEqualTo(3);
        assertThat(dialog(bob, direct).getUnreadCount()).isEqualTo(1);
    }

    @Test
    void aMarkerMustNameASeqThatExists() {
        assertThat(codeOf(() -> fx.receipts.markRead(bob, direct, 5))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(codeOf(() -> fx.receipts.markRead(bob, direct, 0))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(codeOf(() -> fx.receipts.markDelivered(bob, direct, 5))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(fx.store.readMarker(bob.userId(), direct)).isZero();
    }

    @Test
    void aReadMarkerReachesTheOtherSideAndTheReadersOtherDevices() {
        Principal bobPhone = fx.login("bob");
        fx.fanout.clear();
        Ok ok = CoreFixture.await(fx.receipts.markRead(bob, direct, 4));
        UpdateRecord entry = fx.store.updatesAfter(alice.userId(), 0, 100).getLast();
        assertThat(entry.kind()).isEqualTo(UpdateKind.READ);
        assertThat(entry.actorId()).isEqualTo(bob.userId());
        assertThat(entry.seq()).isEqualTo(4);
        Update toAlice = fx.fanout.updates(alice.userId()).getFirst();
        assertThat(toAlice.getRead().getUpToSeq()).isEqualTo(4);
        assertThat(toAlice.getRead().getUsername()).isEqualTo("bob");
        RecordingFanout.Pushed toBob = fx.fanout.pushed(bob.userId()).getFirst();
        assertThat(toBob.exceptDeviceId()).isEqualTo(bob.deviceId()).isNotEqualTo(bobPhone.deviceId());
        assertThat(toBob.frame().getUpdate().getUpdate().getPts()).isEqualTo(ok.getPts());
        assertThat(dialog(alice, direct).getPeerReadSeq()).isEqualTo(4);
    }

    @Test
    void aDeliveredMarkerRisesIsPushedOutsideTheLogAndFollowsReading() {
        long alicePts = fx.store.lastPts(alice.userId());
        Ok ok = CoreFixture.await(fx.receipts.markDelivered(bob, direct, 2));
        assertThat(ok.getPts()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.fanout.updates(alice.userId()).stream()
                .anyMatch(u -> u.hasDelivered() && u.getDelivered().getUpToSeq() == 2 && u.getPts() == 0));
        assertThat(fx.store.lastPts(alice.userId())).isEqualTo(alicePts);
        CoreFixture.await(fx.receipts.markDelivered(bob, direct, 1));
        assertThat(fx.store.deliveredMarker(bob.userId(), direct)).isEqualTo(2);
        assertThat(dialog(alice, direct).getPeerDeliveredSeq()).isEqualTo(2);
        CoreFixture.await(fx.receipts.markRead(bob, direct, 3));
        // Reading implies receiving: the delivered marker rose with it.
        assertThat(fx.store.deliveredMarker(bob.userId(), direct)).isEqualTo(3);
        assertThat(dialog(alice, direct).getPeerDeliveredSeq()).isEqualTo(3);
        CoreFixture.await(fx.receipts.markDelivered(bob, direct, 3));
        assertThat(fx.store.deliveredMarker(bob.userId(), direct)).isEqualTo(3);
    }

    @Test
    void inAGroupADeliveredMarkerIsStoredAndTheDialogShowsTheHighest() {
        Principal carol = fx.user("carol");
        long g = fx.group(alice, bob, carol);
        long seq = fx.send(alice, g, "all").getSeq();
        CoreFixture.await(fx.receipts.markDelivered(bob, g, seq));
        CoreFixture.await(fx.receipts.markDelivered(carol, g, 1));
        assertThat(fx.store.deliveredMarker(bob.userId(), g)).isEqualTo(seq);
        Dialog d = dialog(alice, g);
        assertThat(d.getPeerDeliveredSeq()).isEqualTo(seq);
        assertThat(d.getPeerReadSeq()).isZero();
    }
}
