package dev.tern.core.tests;

import dev.tern.core.ErrorCode;
import dev.tern.core.message.Edit;
import dev.tern.core.store.ConversationKind;
import dev.tern.core.view.Change;
import dev.tern.core.view.HistoryPage;
import dev.tern.core.view.MessageView;
import dev.tern.core.view.SyncPage;
import dev.tern.core.view.Update;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.tern.core.tests.CoreFixture.await;
import static dev.tern.core.tests.Refusals.codeOf;
import static dev.tern.core.tests.Views.posted;
import static dev.tern.core.tests.Views.text;
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
            SyncPage page = fx.catchup.sync(bob, cursor, 3);
            all.addAll(page.updates());
            more.add(page.more());
            cursor = page.pts();
        } while (more.getLast());
        assertThat(more).containsExactly(true, true, false);
        assertThat(cursor).isEqualTo(8);
        assertThat(all).extracting(Update::pts).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(all).extracting(Update::prevPts).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(text(posted(all.getLast()))).isEqualTo("m7");
        assertThat(Views.isService(posted(all.getFirst()))).isTrue();
    }

    @Test
    void syncFromTheNewestPtsIsEmptyAndKeepsTheCursor() {
        sendMany(2);
        SyncPage r = fx.catchup.sync(bob, 3, 10);
        assertThat(r.updates()).isEmpty();
        assertThat(r.more()).isFalse();
        assertThat(r.pts()).isEqualTo(3);
    }

    @Test
    void syncRendersEachMessageAsItIsNow() {
        long seq = fx.send(bob, g, "draft").seq();
        await(fx.edits.edit(bob, new Edit(g, seq, "", "final", null)));
        List<Update> updates = fx.catchup.sync(alice, 1, 10).updates();
        assertThat(updates).hasSize(2);
        assertThat(text(posted(updates.get(0)))).isEqualTo("final");
        assertThat(posted(updates.get(0)).record().extras().editedAtMs()).isPositive();
        assertThat(Views.change(updates.get(1), Change.Edited.class).message().seq()).isEqualTo(seq);
    }

    @Test
    void syncAndHistoryRefuseLimitsOutOfRange() {
        assertThat(codeOf(() -> fx.catchup.sync(bob, 0, 2001))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(codeOf(() -> fx.catchup.sync(bob, 0, -1))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(codeOf(() -> fx.catchup.history(bob, g, 0, 201))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(fx.catchup.sync(bob, 0, 0).updates()).hasSize(1); // 0 means the default page
    }

    @Test
    void historyPagesBackwardsBeforeASeq() {
        sendMany(10); // seqs 2..11
        HistoryPage first = fx.catchup.history(bob, g, 0, 4);
        assertThat(first.messages()).extracting(MessageView::seq).containsExactly(11L, 10L, 9L, 8L);
        assertThat(first.more()).isTrue();
        HistoryPage second = fx.catchup.history(bob, g, 8, 4);
        assertThat(second.messages()).extracting(MessageView::seq).containsExactly(7L, 6L, 5L, 4L);
        HistoryPage last = fx.catchup.history(bob, g, 4, 4);
        assertThat(last.messages()).extracting(MessageView::seq).containsExactly(3L, 2L, 1L);
        assertThat(last.more()).isFalse();
        assertThat(text(last.messages().getFirst())).isEqualTo("m2");
    }

    @Test
    void historyCarriesTheConversationKindAndSender() {
        long seq = fx.send(bob, g, "who am i").seq();
        MessageView m = fx.catchup.history(alice, g, seq + 1, 1).messages().getFirst();
        assertThat(m.seq()).isEqualTo(seq);
        assertThat(m.record().senderId()).isEqualTo(bob.userId());
        assertThat(m.record().senderName()).isEqualTo("bob");
        assertThat(m.record().senderDeviceId()).isEqualTo(bob.deviceId());
        assertThat(m.kind()).isEqualTo(ConversationKind.GROUP);
        assertThat(m.record().tsMs()).isEqualTo(fx.clock.millis());
    }
}
