package dev.tern.core.tests;

import dev.tern.core.ErrorCode;
import dev.tern.core.Principal;
import dev.tern.core.store.UpdateKind;
import dev.tern.core.store.UpdateRecord;
import dev.tern.core.view.Change;
import dev.tern.core.view.Committed;
import dev.tern.core.view.DialogView;
import dev.tern.core.view.Marker;
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

    private DialogView dialog(Principal who, long conversationId) {
        return fx.dialogs.list(who, false, 0, 0, 0).dialogs().stream()
                .filter(d -> d.conversationId() == conversationId).findFirst().orElseThrow();
    }

    @Test
    void aReadMarkerOnlyRises() {
        Committed raised = CoreFixture.await(fx.receipts.markRead(bob, direct, 3));
        assertThat(raised.pts()).isPositive();
        Committed lower = CoreFixture.await(fx.receipts.markRead(bob, direct, 2));
        assertThat(lower.pts()).isZero();
        assertThat(CoreFixture.await(fx.receipts.markRead(bob, direct, 3)).pts()).isZero();
        assertThat(fx.store.readMarker(bob.userId(), direct)).isEqualTo(3);
        assertThat(dialog(bob, direct).readUpToSeq()).isEqualTo(3);
        assertThat(dialog(bob, direct).unreadCount()).isEqualTo(1);
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
        Committed ok = CoreFixture.await(fx.receipts.markRead(bob, direct, 4));
        UpdateRecord entry = fx.store.updatesAfter(alice.userId(), 0, 100).getLast();
        assertThat(entry.kind()).isEqualTo(UpdateKind.READ);
        assertThat(entry.actorId()).isEqualTo(bob.userId());
        assertThat(entry.seq()).isEqualTo(4);
        Marker toAlice = Views.change(fx.fanout.updates(alice.userId()).getFirst(), Change.Read.class).marker();
        assertThat(toAlice.conversationId()).isEqualTo(direct);
        assertThat(toAlice.userId()).isEqualTo(bob.userId());
        assertThat(toAlice.upToSeq()).isEqualTo(4);
        assertThat(toAlice.username()).isEqualTo("bob");
        RecordingFanout.Pushed toBob = fx.fanout.pushed(bob.userId()).getFirst();
        assertThat(toBob.exceptDeviceId()).isEqualTo(bob.deviceId()).isNotEqualTo(bobPhone.deviceId());
        assertThat(toBob.update().pts()).isEqualTo(ok.pts());
        assertThat(dialog(alice, direct).peerReadSeq()).isEqualTo(4);
    }

    @Test
    void aDeliveredMarkerRisesIsPushedOutsideTheLogAndFollowsReading() {
        long alicePts = fx.store.lastPts(alice.userId());
        Committed ok = CoreFixture.await(fx.receipts.markDelivered(bob, direct, 2));
        assertThat(ok.pts()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.fanout.updates(alice.userId()).stream()
                .anyMatch(u -> u.change() instanceof Change.Delivered d && d.marker().upToSeq() == 2
                        && d.marker().userId() == bob.userId() && u.pts() == 0));
        assertThat(fx.store.lastPts(alice.userId())).isEqualTo(alicePts);
        CoreFixture.await(fx.receipts.markDelivered(bob, direct, 1));
        assertThat(fx.store.deliveredMarker(bob.userId(), direct)).isEqualTo(2);
        assertThat(dialog(alice, direct).peerDeliveredSeq()).isEqualTo(2);
        CoreFixture.await(fx.receipts.markRead(bob, direct, 3));
        // Reading implies receiving: the delivered marker rose with it.
        assertThat(fx.store.deliveredMarker(bob.userId(), direct)).isEqualTo(3);
        assertThat(dialog(alice, direct).peerDeliveredSeq()).isEqualTo(3);
        CoreFixture.await(fx.receipts.markDelivered(bob, direct, 3));
        assertThat(fx.store.deliveredMarker(bob.userId(), direct)).isEqualTo(3);
    }

    @Test
    void inAGroupADeliveredMarkerIsStoredAndTheDialogShowsTheHighest() {
        Principal carol = fx.user("carol");
        long g = fx.group(alice, bob, carol);
        long seq = fx.send(alice, g, "all").seq();
        CoreFixture.await(fx.receipts.markDelivered(bob, g, seq));
        CoreFixture.await(fx.receipts.markDelivered(carol, g, 1));
        assertThat(fx.store.deliveredMarker(bob.userId(), g)).isEqualTo(seq);
        DialogView d = dialog(alice, g);
        assertThat(d.peerDeliveredSeq()).isEqualTo(seq);
        assertThat(d.peerReadSeq()).isZero();
    }
}
