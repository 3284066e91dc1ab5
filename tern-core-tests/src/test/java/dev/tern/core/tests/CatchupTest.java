package dev.tern.core.tests;

import dev.tern.core.Principal;
import dev.tern.protocol.v1.EditMessage;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.HistoryResult;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.SyncResult;
import dev.tern.protocol.v1.Update;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.tern.core.tests.CoreFixture.await;
import static dev.tern.core.tests.Refusals.codeOf;
import static org.assertj.core.api.Assertions.assertThat;

/** How a device catches up: sync through its update log, history backwards through a conversation. */
class CatchupTest extends CoreTestBase {
    private final long g = fx.group(alice, bob);

    private void sendMany(int n) {
        for (int i = 1; i <= n; i++) {
            fx.send(alice, g, "m" + i);
        }
    }

    @Test
    void syncPagesThroughTheLogWithACursor() {
        sendMany(7); // bob's log: the creation and seven messages
        List<Update> all = new ArrayList<>();
        long cursor = 0;
        List<Boolean> more = new ArrayList<>();
        do {
            SyncResult page = fx.catchup.sync(bob, cursor, 3);
            all.addAll(page.getUpdatesList());
            more.add(page.getMore());
            cursor = page.getPts();
        } while (more.getLast());
        assertThat(more).containsExactly(true, true, false);
        assertThat(cursor).isEqualTo(8);
        assertThat(all).extracting(Update::getPts).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(all).extracting(Update::getPrevPts).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(all.getLast().getMessage().getText()).isEqualTo("m7");
        assertThat(all.getFirst().getMessage().hasService()).isTrue();
    }

    @Test
    void syncFromTheNewestPtsIsEmptyAndKeepsTheCursor() {
        sendMany(2);
        SyncResult r = fx.catchup.sync(bob, 3, 10);
        assertThat(r.getUpdatesList()).isEmpty();
        assertThat(r.getMore()).isFalse();
        assertThat(r.getPts()).isEqualTo(3);
    }

    @Test
    void syncRendersEachMessageAsItIsNow() {
        long seq = fx.send(bob, g, "draft").getSeq();
        await(fx.edits.edit(bob, EditMessage.newBuilder().setConversationId(g).setSeq(seq).setText("final").build()));
        List<Update> updates = fx.catchup.sync(alice, 1, 10).getUpdatesList();
        assertThat(updates).hasSize(2);
        assertThat(updates.get(0).getMessage().getText()).isEqualTo("final");
        assertThat(updates.get(0).getMessage().getEditedAtMs()).isPositive();
        assertThat(updates.get(1).getEdited().getSeq()).isEqualTo(seq);
    }

    @Test
    void syncAndHistoryRefuseLimitsOutOfRange() {
        assertThat(codeOf(() -> fx.catchup.sync(bob, 0, 2001))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(codeOf(() -> fx.catchup.sync(bob, 0, -1))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(codeOf(() -> fx.catchup.history(bob, g, 0, 201))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(fx.catchup.sync(bob, 0, 0).getUpdatesCount()).isEqualTo(1); // 0 means the default page
    }

    @Test
    void historyPagesBackwardsBeforeASeq() {
        sendMany(10); // seqs 2..11
        HistoryResult first = fx.catchup.history(bob, g, 0, 4);
        assertThat(first.getMessagesList()).extracting(Message::getSeq).containsExactly(11L, 10L, 9L, 8L);
        assertThat(first.getMore()).isTrue();
        HistoryResult second = fx.catchup.history(bob, g, 8, 4);
        assertThat(second.getMessagesList()).extracting(Message::getSeq).containsExactly(7L, 6L, 5L, 4L);
        HistoryResult last = fx.catchup.history(bob, g, 4, 4);
        assertThat(last.getMessagesList()).extracting(Message::getSeq).containsExactly(3L, 2L, 1L);
        assertThat(last.getMore()).isFalse();
        assertThat(last.getMessages(0).getText()).isEqualTo("m2");
    }

    @Test
    void historyCarriesTheConversationKindAndSender() {
        long seq = fx.send(bob, g, "who am i").getSeq();
        Message m = fx.catchup.history(alice, g, seq + 1, 1).getMessages(0);
        assertThat(m.getSenderId()).isEqualTo(bob.userId());
        assertThat(m.getSenderName()).isEqualTo("bob");
        assertThat(m.getSenderDeviceId()).isEqualTo(bob.deviceId());
        assertThat(m.getConversationKind()).isEqualTo(dev.tern.protocol.v1.ConversationKind.GROUP);
        assertThat(m.getTsMs()).isEqualTo(fx.clock.millis());
    }
}
