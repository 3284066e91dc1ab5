package dev.tern.core.tests;

import dev.tern.core.ErrorCode;
import dev.tern.core.Principal;
import dev.tern.core.inbox.DialogChange;
import dev.tern.core.view.Change;
import dev.tern.core.view.Committed;
import dev.tern.core.view.DialogView;
import dev.tern.core.view.DialogsPage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.tern.core.tests.CoreFixture.await;
import static dev.tern.core.tests.Refusals.codeOf;
import static org.assertj.core.api.Assertions.assertThat;

/** The conversation list: counts and previews computed from the messages, and the user's own settings. */
class DialogsTest extends CoreTestBase {
    private List<DialogView> list(Principal who, boolean archived) {
        return fx.dialogs.list(who, archived, 0, 0, 0).dialogs();
    }

    private DialogView dialog(Principal who, long conversationId) {
        return list(who, false).stream().filter(d -> d.conversationId() == conversationId).findFirst()
                .orElseThrow();
    }

    private Committed update(Principal who, DialogChange req) {
        return await(fx.dialogs.update(who, req));
    }

    private static DialogChange archive(long conversationId, boolean archived) {
        return new DialogChange(conversationId, null, archived, null, null);
    }

    private static DialogChange pin(long conversationId) {
        return new DialogChange(conversationId, null, null, true, null);
    }

    @Test
    void unreadCountAndPreviewFollowTheMessagesAndTheReadMarker() {
        fx.sendTo(alice, bob, "one");
        fx.sendTo(alice, bob, "two");
        long direct = fx.sendTo(alice, bob, "three").conversationId();
        DialogView d = dialog(bob, direct);
        assertThat(d.unreadCount()).isEqualTo(3);
        assertThat(Views.text(d.top())).isEqualTo("three");
        assertThat(d.title()).isEqualTo("alice");
        assertThat(d.peerId()).isEqualTo(alice.userId());
        assertThat(d.lastActivityMs()).isEqualTo(fx.clock.millis());
        assertThat(dialog(alice, direct).unreadCount()).isZero(); // one's own messages are never unread
        await(fx.receipts.markRead(bob, direct, 2));
        assertThat(dialog(bob, direct).unreadCount()).isEqualTo(1);
    }

    @Test
    void recalledAndHiddenMessagesAreNotUnreadAndMentionsAreCounted() {
        long g = fx.group(alice, bob);
        fx.send(alice, g, "@bob look");
        long hidden = fx.send(alice, g, "hide me").seq();
        long recalled = fx.send(alice, g, "oops").seq();
        await(fx.edits.recall(alice, g, recalled));
        await(fx.edits.deleteForMe(bob, g, List.of(hidden)));
        DialogView d = dialog(bob, g);
        assertThat(d.unreadCount()).isEqualTo(2); // the group's creation and the mention
        assertThat(d.unreadMentions()).isEqualTo(1);
        assertThat(d.top().seq()).isEqualTo(recalled);
        assertThat(d.top().record().extras().recalled()).isTrue();
    }

    @Test
    void settingsAreStoredAndShownAndANoOpChangeMakesNoEntry() {
        long g = fx.group(alice, bob);
        long forever = Long.MAX_VALUE;
        Committed ok = update(bob, new DialogChange(g, forever, null, null, "half a thought"));
        assertThat(ok.pts()).isEqualTo(fx.store.lastPts(bob.userId()));
        DialogView d = dialog(bob, g);
        assertThat(d.muteUntilMs()).isEqualTo(forever);
        assertThat(d.draft()).isEqualTo("half a thought");
        assertThat(d.draftAtMs()).isEqualTo(fx.clock.millis());
        assertThat(dialog(alice, g).muteUntilMs()).isZero(); // settings are per user
        assertThat(update(bob, new DialogChange(g, forever, null, null, null)).pts()).isZero();
        update(bob, new DialogChange(g, null, null, null, ""));
        assertThat(dialog(bob, g).draftAtMs()).isZero();
    }

    @Test
    void anArchivedDialogIsListedInTheArchiveOnly() {
        long g = fx.group(alice, bob);
        long direct = fx.sendTo(alice, bob, "hi").conversationId();
        update(bob, archive(g, true));
        assertThat(list(bob, false)).extracting(DialogView::conversationId).containsExactly(direct);
        assertThat(list(bob, true)).extracting(DialogView::conversationId).containsExactly(g);
        update(bob, archive(g, false));
        assertThat(list(bob, true)).isEmpty();
    }

    @Test
    void pinnedDialogsComeFirstNewestPinFirstThenByActivity() {
        List<Long> groups = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            groups.add(fx.group(alice, bob));
            fx.clock.advance(Duration.ofSeconds(1));
        }
        fx.send(alice, groups.get(0), "revives the oldest");
        update(bob, pin(groups.get(2)));
        fx.clock.advance(Duration.ofSeconds(1));
        update(bob, pin(groups.get(1)));
        assertThat(list(bob, false)).extracting(DialogView::conversationId)
                .containsExactly(groups.get(1), groups.get(2), groups.get(0), groups.get(3));
        DialogsPage page = fx.dialogs.list(bob, false, 1, 0, 0);
        assertThat(page.more()).isTrue();
        DialogView last = page.dialogs().getLast();
        DialogsPage next = fx.dialogs.list(bob, false, 5, last.lastActivityMs(), last.conversationId());
        assertThat(next.dialogs()).extracting(DialogView::conversationId).containsExactly(groups.get(3));
    }

    @Test
    void atMostFiveDialogsArePinned() {
        List<Long> groups = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            groups.add(fx.group(alice, bob));
        }
        for (int i = 0; i < 5; i++) {
            update(bob, pin(groups.get(i)));
        }
        assertThat(codeOf(() -> fx.dialogs.update(bob, pin(groups.get(5))))).isEqualTo(ErrorCode.DIALOG_PIN_LIMIT);
        // Leaving a pinned conversation frees its place.
        await(fx.groups.leave(bob, groups.get(0)));
        update(bob, pin(groups.get(5)));
        assertThat(list(bob, false).stream().filter(DialogView::pinned).count()).isEqualTo(5);
    }

    @Test
    void theUsersOtherDevicesLearnOfAChange() {
        long g = fx.group(alice, bob);
        Principal phone = fx.login("bob");
        fx.fanout.clear();
        Committed ok = update(bob, archive(g, true));
        RecordingFanout.Pushed pushed = fx.fanout.pushed(bob.userId()).getFirst();
        assertThat(pushed.exceptDeviceId()).isEqualTo(bob.deviceId()).isNotEqualTo(phone.deviceId());
        DialogView told = Views.change(pushed.update(), Change.DialogChanged.class).dialog();
        assertThat(told.conversationId()).isEqualTo(g);
        assertThat(told.archived()).isTrue();
        assertThat(pushed.update().pts()).isEqualTo(ok.pts());
        assertThat(fx.fanout.pushed(alice.userId())).isEmpty();
        assertThat(Views.change(fx.catchup.sync(phone, ok.prevPts(), 10).updates().getFirst(),
                Change.DialogChanged.class).dialog().archived()).isTrue();
    }

    @Test
    void badSettingsAreRefused() {
        long g = fx.group(alice, bob);
        assertThat(codeOf(() -> fx.dialogs.update(bob, new DialogChange(g, -1L, null, null, null))))
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(codeOf(() -> fx.dialogs.update(bob, new DialogChange(g, null, null, null, "d".repeat(4097)))))
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(codeOf(() -> fx.dialogs.list(bob, false, 201, 0, 0))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }
}
