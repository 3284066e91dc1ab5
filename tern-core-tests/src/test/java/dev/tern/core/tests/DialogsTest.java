package dev.tern.core.tests;

import dev.tern.core.Principal;
import dev.tern.protocol.v1.Dialog;
import dev.tern.protocol.v1.DialogsResult;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.GetDialogs;
import dev.tern.protocol.v1.Ok;
import dev.tern.protocol.v1.UpdateDialog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.tern.core.tests.CoreFixture.await;
import static dev.tern.core.tests.Refusals.codeOf;
import static org.assertj.core.api.Assertions.assertThat;

/** The conversation list: counts and previews computed from the messages, and the user's own settings. */
class DialogsTest extends CoreTestBase {
    private List<Dialog> list(Principal who, boolean archived) {
        return fx.dialogs.list(who, GetDialogs.newBuilder().setArchived(archived).build()).getDialogsList();
    }

    private Dialog dialog(Principal who, long conversationId) {
        return list(who, false).stream().filter(d -> d.getConversationId() == conversationId).findFirst()
                .orElseThrow();
    }

    private Ok update(Principal who, long conversationId, UpdateDialog.Builder req) {
        return await(fx.dialogs.update(who, req.setConversationId(conversationId).build()));
    }

    @Test
    void unreadCountAndPreviewFollowTheMessagesAndTheReadMarker() {
        fx.sendTo(alice, bob, "one");
        fx.sendTo(alice, bob, "two");
        long direct = fx.sendTo(alice, bob, "three").getConversationId();
        Dialog d = dialog(bob, direct);
        assertThat(d.getUnreadCount()).isEqualTo(3);
        assertThat(d.getTopMessage().getText()).isEqualTo("three");
        assertThat(d.getTitle()).isEqualTo("alice");
        assertThat(d.getPeerId()).isEqualTo(alice.userId());
        assertThat(d.getLastActivityMs()).isEqualTo(fx.clock.millis());
        assertThat(dialog(alice, direct).getUnreadCount()).isZero(); // one's own messages are never unread
        await(fx.receipts.markRead(bob, direct, 2));
        assertThat(dialog(bob, direct).getUnreadCount()).isEqualTo(1);
    }

    @Test
    void recalledAndHiddenMessagesAreNotUnreadAndMentionsAreCounted() {
        long g = fx.group(alice, bob);
        fx.send(alice, g, "@bob look");
        long hidden = fx.send(alice, g, "hide me").getSeq();
        long recalled = fx.send(alice, g, "oops").getSeq();
        await(fx.edits.recall(alice, g, recalled));
        await(fx.edits.deleteForMe(bob, g, List.of(hidden)));
        Dialog d = dialog(bob, g);
        assertThat(d.getUnreadCount()).isEqualTo(2); // the group's creation and the mention
        assertThat(d.getUnreadMentions()).isEqualTo(1);
        assertThat(d.getTopMessage().getRecalled()).isTrue();
    }

    @Test
    void settingsAreStoredAndShownAndANoOpChangeMakesNoEntry() {
        long g = fx.group(alice, bob);
        long forever = Long.MAX_VALUE;
        Ok ok = update(bob, g, UpdateDialog.newBuilder().setMuteUntilMs(forever).setDraft("half a thought"));
        assertThat(ok.getPts()).isEqualTo(fx.store.lastPts(bob.userId()));
        Dialog d = dialog(bob, g);
        assertThat(d.getMuteUntilMs()).isEqualTo(forever);
        assertThat(d.getDraft()).isEqualTo("half a thought");
        assertThat(d.getDraftAtMs()).isEqualTo(fx.clock.millis());
        assertThat(dialog(alice, g).getMuteUntilMs()).isZero(); // settings are per user
        assertThat(update(bob, g, UpdateDialog.newBuilder().setMuteUntilMs(forever)).getPts()).isZero();
        update(bob, g, UpdateDialog.newBuilder().setDraft(""));
        assertThat(dialog(bob, g).getDraftAtMs()).isZero();
    }

    @Test
    void anArchivedDialogIsListedInTheArchiveOnly() {
        long g = fx.group(alice, bob);
        long direct = fx.sendTo(alice, bob, "hi").getConversationId();
        update(bob, g, UpdateDialog.newBuilder().setArchived(true));
        assertThat(list(bob, false)).extracting(Dialog::getConversationId).containsExactly(direct);
        assertThat(list(bob, true)).extracting(Dialog::getConversationId).containsExactly(g);
        update(bob, g, UpdateDialog.newBuilder().setArchived(false));
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
        update(bob, groups.get(2), UpdateDialog.newBuilder().setPinned(true));
        fx.clock.advance(Duration.ofSeconds(1));
        update(bob, groups.get(1), UpdateDialog.newBuilder().setPinned(true));
        assertThat(list(bob, false)).extracting(Dialog::getConversationId)
                .containsExactly(groups.get(1), groups.get(2), groups.get(0), groups.get(3));
        DialogsResult page = fx.dialogs.list(bob, GetDialogs.newBuilder().setLimit(1).build());
        assertThat(page.getMore()).isTrue();
        Dialog last = page.getDialogs(page.getDialogsCount() - 1);
        DialogsResult next = fx.dialogs.list(bob, GetDialogs.newBuilder().setLimit(5)
                .setBeforeActivityMs(last.getLastActivityMs()).setBeforeConversationId(last.getConversationId()).build());
        assertThat(next.getDialogsList()).extracting(Dialog::getConversationId).containsExactly(groups.get(3));
    }

    @Test
    void atMostFiveDialogsArePinned() {
        List<Long> groups = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            groups.add(fx.group(alice, bob));
        }
        for (int i = 0; i < 5; i++) {
            update(bob, groups.get(i), UpdateDialog.newBuilder().setPinned(true));
        }
        assertThat(codeOf(() -> fx.dialogs.update(bob, UpdateDialog.newBuilder().setConversationId(groups.get(5))
                .setPinned(true).build()))).isEqualTo(ErrorCode.DIALOG_PIN_LIMIT);
        // Leaving a pinned conversation frees its place.
        await(fx.groups.leave(bob, groups.get(0)));
        update(bob, groups.get(5), UpdateDialog.newBuilder().setPinned(true));
        assertThat(list(bob, false).stream().filter(Dialog::getPinned).count()).isEqualTo(5);
    }

    @Test
    void theUsersOtherDevicesLearnOfAChange() {
        long g = fx.group(alice, bob);
        Principal phone = fx.login("bob");
        fx.fanout.clear();
        Ok ok = update(bob, g, UpdateDialog.newBuilder().setArchived(true));
        RecordingFanout.Pushed pushed = fx.fanout.pushed(bob.userId()).getFirst();
        assertThat(pushed.exceptDeviceId()).isEqualTo(bob.deviceId()).isNotEqualTo(phone.deviceId());
        assertThat(pushed.frame().getUpdate().getUpdate().getDialog().getArchived()).isTrue();
        assertThat(pushed.frame().getUpdate().getUpdate().getPts()).isEqualTo(ok.getPts());
        assertThat(fx.fanout.pushed(alice.userId())).isEmpty();
        assertThat(fx.catchup.sync(phone, ok.getPrevPts(), 10).getUpdates(0).getDialog().getArchived()).isTrue();
    }

    @Test
    void badSettingsAreRefused() {
        long g = fx.group(alice, bob);
        assertThat(codeOf(() -> fx.dialogs.update(bob, UpdateDialog.newBuilder().setConversationId(g)
                .setMuteUntilMs(-1).build()))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(codeOf(() -> fx.dialogs.update(bob, UpdateDialog.newBuilder().setConversationId(g)
                .setDraft("d".repeat(4097)).build()))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(codeOf(() -> fx.dialogs.list(bob, GetDialogs.newBuilder().setLimit(201).build())))
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }
}
