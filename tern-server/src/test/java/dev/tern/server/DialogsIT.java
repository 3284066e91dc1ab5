package dev.tern.server;

import dev.tern.client.TernClient;
import dev.tern.protocol.v1.Dialog;
import dev.tern.protocol.v1.DialogsResult;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.GetDialogs;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.UpdateDialog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.tern.server.MessageOpsIT.refused;
import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The conversation list: order, preview, exact counts on every device, settings synced across devices. */
class DialogsIT {
    @TempDir
    Path dir;

    static List<Dialog> dialogs(TernClient c) {
        return get(c.dialogs(GetDialogs.getDefaultInstance())).getDialogsList();
    }

    static Dialog dialog(TernClient c, long conversation) {
        return dialogs(c).stream().filter(d -> d.getConversationId() == conversation).findFirst().orElseThrow();
    }

    @Test
    void settingsFollowTheUserToEveryDeviceAndTheListIsOrderedByActivity() {
        try (TestNode node = TestNode.start(dir)) {
            Recorder phoneSees = new Recorder();
            try (TernClient laptop = node.user("alice", new Recorder()); TernClient phone = node.user("alice", phoneSees);
                 TernClient bob = node.user("bob", new Recorder()); TernClient carol = node.user("carol", new Recorder())) {
                long withBob = get(bob.sendTextTo("alice", "hi alice")).getConversationId();
                long group = get(carol.createGroup("book club", List.of("alice"))).getConversationId();
                long withCarol = get(carol.sendTextTo("alice", "psst")).getConversationId();
                get(bob.sendText(withBob, "are you there?"));

                // Newest activity first; the preview is the newest message; a direct chat is titled by the peer.
                assertThat(dialogs(laptop)).extracting(Dialog::getConversationId)
                        .containsExactly(withBob, withCarol, group);
                Dialog first = dialogs(laptop).getFirst();
                assertThat(first.getTitle()).isEqualTo("bob");
                assertThat(first.getTopMessage().getText()).isEqualTo("are you there?");
                assertThat(first.getUnreadCount()).isEqualTo(2);

                // Paging by the last dialog of the previous page.
                DialogsResult page1 = get(laptop.dialogs(GetDialogs.newBuilder().setLimit(2).build()));
                assertThat(page1.getMore()).isTrue();
                Dialog lastOfPage = page1.getDialogs(1);
                DialogsResult page2 = get(laptop.dialogs(GetDialogs.newBuilder().setLimit(2)
                        .setBeforeActivityMs(lastOfPage.getLastActivityMs())
                        .setBeforeConversationId(lastOfPage.getConversationId()).build()));
                assertThat(page2.getDialogsList()).extracting(Dialog::getConversationId).containsExactly(group);
                assertThat(page2.getMore()).isFalse();

                // Pin, mute, draft on the laptop: the phone gets each change and lists the same.
                get(laptop.updateDialog(UpdateDialog.newBuilder().setConversationId(group).setPinned(true).build()));
                get(laptop.updateDialog(UpdateDialog.newBuilder().setConversationId(withBob)
                        .setMuteUntilMs(Long.MAX_VALUE).setDraft("call me").build()));
                await().atMost(Duration.ofSeconds(10)).until(() -> phoneSees.updates.stream()
                        .anyMatch(u -> u.hasDialog() && u.getDialog().getDraft().equals("call me")));
                assertThat(phoneSees.updates.stream().filter(u -> u.hasDialog()).map(u -> u.getDialog())
                        .anyMatch(d -> d.getConversationId() == group && d.getPinned())).isTrue();
                assertThat(dialogs(phone)).extracting(Dialog::getConversationId).containsExactly(group, withBob, withCarol);
                Dialog muted = dialog(phone, withBob);
                assertThat(muted.getMuteUntilMs()).isEqualTo(Long.MAX_VALUE);
                assertThat(muted.getDraft()).isEqualTo("call me");
                assertThat(muted.getDraftAtMs()).isPositive();

                // Archive moves a dialog to the other list.
                get(phone.updateDialog(UpdateDialog.newBuilder().setConversationId(withCarol).setArchived(true).build()));
                assertThat(dialogs(laptop)).extracting(Dialog::getConversationId).doesNotContain(withCarol);
                assertThat(get(laptop.dialogs(GetDialogs.newBuilder().setArchived(true).build())).getDialogsList())
                        .extracting(Dialog::getConversationId).containsExactly(withCarol);

                // Two devices changing different settings at once: neither undoes the other.
                CompletableFuture<?> mute = laptop.updateDialog(UpdateDialog.newBuilder().setConversationId(group)
                        .setMuteUntilMs(123_456).build());
                CompletableFuture<?> draft = phone.updateDialog(UpdateDialog.newBuilder().setConversationId(group)
                        .setDraft("both").build());
                get(mute);
                get(draft);
                Dialog both = dialog(laptop, group);
                assertThat(both.getMuteUntilMs()).isEqualTo(123_456);
                assertThat(both.getDraft()).isEqualTo("both");
                assertThat(both.getPinned()).isTrue();

                // At most 5 pins; bad values; someone else's conversation.
                List<Long> more = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    more.add(get(carol.createGroup("g" + i, List.of("alice"))).getConversationId());
                }
                for (int i = 0; i < 4; i++) {
                    get(laptop.updateDialog(UpdateDialog.newBuilder().setConversationId(more.get(i)).setPinned(true).build()));
                }
                refused(laptop.updateDialog(UpdateDialog.newBuilder().setConversationId(more.get(4)).setPinned(true).build()),
                        ErrorCode.DIALOG_PIN_LIMIT);
                // All five pinned come on the first page whatever the limit; the cursor is an unpinned one.
                DialogsResult small = get(laptop.dialogs(GetDialogs.newBuilder().setLimit(1).build()));
                assertThat(small.getDialogsList()).hasSize(6);
                assertThat(small.getDialogsList().subList(0, 5)).allMatch(Dialog::getPinned);
                Dialog cursor = small.getDialogs(5);
                assertThat(cursor.getPinned()).isFalse();
                List<Long> seen = new ArrayList<>(small.getDialogsList().stream().map(Dialog::getConversationId).toList());
                DialogsResult next = small;
                while (next.getMore()) {
                    Dialog last = next.getDialogs(next.getDialogsCount() - 1);
                    next = get(laptop.dialogs(GetDialogs.newBuilder().setLimit(1).setBeforeActivityMs(last.getLastActivityMs())
                            .setBeforeConversationId(last.getConversationId()).build()));
                    next.getDialogsList().forEach(d -> seen.add(d.getConversationId()));
                }
                assertThat(seen).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(dialogs(laptop).stream().map(Dialog::getConversationId).toList());
                // A pin left behind in a conversation one has left does not count.
                get(laptop.leave(more.get(0)));
                get(laptop.updateDialog(UpdateDialog.newBuilder().setConversationId(more.get(4)).setPinned(true).build()));
                refused(laptop.updateDialog(UpdateDialog.newBuilder().setConversationId(group).setDraft("x".repeat(4097))
                        .build()), ErrorCode.INVALID_ARGUMENT);
                refused(laptop.updateDialog(UpdateDialog.newBuilder().setConversationId(group).setMuteUntilMs(-1).build()),
                        ErrorCode.INVALID_ARGUMENT);
                refused(laptop.dialogs(GetDialogs.newBuilder().setLimit(201).build()), ErrorCode.INVALID_ARGUMENT);
                long bobAndCarol = get(bob.sendTextTo("carol", "secret")).getConversationId();
                refused(laptop.updateDialog(UpdateDialog.newBuilder().setConversationId(bobAndCarol).setPinned(true)
                        .build()), ErrorCode.NOT_MEMBER);
            }
        }
        // Settings survive a restart.
        try (TestNode node = TestNode.start(dir); TernClient alice = node.user("alice", new Recorder())) {
            assertThat(dialogs(alice).getFirst().getPinned()).isTrue();
            assertThat(dialogs(alice).stream().filter(d -> d.getDraft().equals("call me"))).hasSize(1);
        }
    }

    @Test
    void unreadAndMentionCountsStayExactOnTwoDevicesWhileTheGroupIsBusy() throws Exception {
        try (TestNode node = TestNode.start(dir, TestNode.withoutLoadShedding(Map.of()))) {
            Recorder laptopSees = new Recorder();
            TernClient laptop = node.user("alice", laptopSees);
            TernClient phone = node.user("alice", new Recorder());
            try (TernClient bob = node.user("bob", new Recorder()); TernClient carol = node.user("carol", new Recorder())) {
                long group = get(bob.createGroup("busy", List.of("alice", "carol"))).getConversationId();
                // Muted on the phone: mentions are still flagged and counted.
                get(phone.updateDialog(UpdateDialog.newBuilder().setConversationId(group)
                        .setMuteUntilMs(Long.MAX_VALUE).build()));
                List<CompletableFuture<?>> sends = new ArrayList<>();
                long markAt = 0;
                for (int i = 0; i < 300; i++) {
                    TernClient who = i % 2 == 0 ? bob : carol;
                    String text = (i % 7 == 0 ? "@alice look " : "msg ") + i;
                    sends.add(who.sendText(group, text));
                    if (i == 150) {
                        markAt = get(bob.sendText(group, "halfway")).getSeq();
                        sends.add(laptop.markRead(group, markAt)); // the laptop reads while the group goes on
                    }
                    if (i % 40 == 0) {
                        sends.add(phone.sendText(group, "alice says " + i)); // her own messages are not unread
                    }
                }
                for (CompletableFuture<?> f : sends) {
                    get(f);
                }
                long marker = markAt;
                long[] expected = expected(bob, group, marker, aliceId(laptop, group));
                assertThat(expected[0]).isGreaterThan(100);
                await().atMost(Duration.ofSeconds(10)).until(() -> laptopSees.updates.stream()
                        .anyMatch(u -> u.getMentioned()));

                for (TernClient device : List.of(laptop, phone)) {
                    Dialog d = dialog(device, group);
                    assertThat(d.getReadUpToSeq()).isEqualTo(marker);
                    assertThat(d.getUnreadCount()).isEqualTo(expected[0]);
                    assertThat(d.getUnreadMentions()).isEqualTo(expected[1]);
                    assertThat(d.getMuteUntilMs()).isEqualTo(Long.MAX_VALUE);
                }
                laptop.close();
                phone.close();
                // Both devices reconnect: the same exact counts.
                try (TernClient laptop2 = node.user("alice", new Recorder());
                     TernClient phone2 = node.user("alice", new Recorder())) {
                    for (TernClient device : List.of(laptop2, phone2)) {
                        Dialog d = dialog(device, group);
                        assertThat(d.getUnreadCount()).isEqualTo(expected[0]);
                        assertThat(d.getUnreadMentions()).isEqualTo(expected[1]);
                    }
                    // Reading up to the newest message on one device zeroes both.
                    long top = dialog(phone2, group).getTopMessage().getSeq();
                    get(phone2.markRead(group, top));
                    assertThat(dialog(laptop2, group).getUnreadCount()).isZero();
                    assertThat(dialog(laptop2, group).getUnreadMentions()).isZero();
                }
            }
        }
    }

    static long aliceId(TernClient alice, long group) {
        return get(alice.conversation(group)).getMembersList().stream().filter(m -> m.getUsername().equals("alice"))
                .findFirst().orElseThrow().getUserId();
    }

    /** Unread and mention counts for alice computed independently, from the whole history. */
    static long[] expected(TernClient reader, long group, long marker, long aliceId) {
        long count = 0;
        long mentions = 0;
        for (Message m : ConversationIT.all(reader, group)) {
            if (m.getSeq() > marker && m.getSenderId() != aliceId && !m.getRecalled()) {
                count++;
                if (m.getMentionIdsList().contains(aliceId)) {
                    mentions++;
                }
            }
        }
        return new long[]{count, mentions};
    }
}
