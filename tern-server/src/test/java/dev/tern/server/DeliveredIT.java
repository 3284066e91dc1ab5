package dev.tern.server;

import dev.tern.client.ClientOptions;
import dev.tern.client.TernClient;
import dev.tern.protocol.v1.DeliveredMarker;
import dev.tern.protocol.v1.Dialog;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.GetDialogs;
import dev.tern.protocol.v1.Ok;
import dev.tern.protocol.v1.Update;
import dev.tern.protocol.v1.Visibility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.tern.server.MessageOpsIT.refused;
import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Delivered markers through the front door: the SDK's own receipts for what it hands the
 * application, the pts-0 push to the sender, the peer markers in dialogs, privacy, broadcast
 * conversations and a restart.
 */
class DeliveredIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    static List<DeliveredMarker> delivered(Recorder r, long conversation) {
        return r.updates.stream().filter(Update::hasDelivered).map(Update::getDelivered)
                .filter(d -> d.getConversationId() == conversation).toList();
    }

    static Dialog dialog(TernClient c, long conversation) {
        return get(c.dialogs(GetDialogs.getDefaultInstance())).getDialogsList().stream()
                .filter(d -> d.getConversationId() == conversation).findFirst().orElseThrow();
    }

    /** A user whose client sends no delivered markers of its own (the test sends them). */
    static TernClient manual(TestNode node, String name, Recorder r) {
        return node.user(name, r, ClientOptions.of(node.uri()).withDeliveryReceipts(false));
    }

    @Test
    void theRecipientsSdkReportsDeliveryAndTheSendersDialogShowsItAcrossARestart() {
        long chat;
        long fourth;
        long fifth;
        try (TestNode node = TestNode.start(dir)) {
            Recorder aliceSees = new Recorder();
            try (TernClient alice = node.user("alice", aliceSees)) {
                String ticket;
                long cursor;
                try (TernClient bob = node.user("bob", new Recorder())) {
                    ticket = bob.ticket();
                    cursor = bob.cursor();
                }
                // Three messages while bob is offline: delivered to nobody yet.
                chat = get(alice.sendTextTo("bob", "one")).getConversationId();
                long second = get(alice.sendText(chat, "two")).getSeq();
                long third = get(alice.sendText(chat, "three")).getSeq();
                Dialog before = dialog(alice, chat);
                assertThat(before.getPeerDeliveredSeq()).isZero();
                assertThat(before.getPeerReadSeq()).isZero();

                // Bob's device comes back and syncs: its SDK reports the three, in one request.
                Recorder bobSees = new Recorder();
                try (TernClient bob = node.client(bobSees)) {
                    get(bob.resume(ticket, cursor));
                    await().atMost(WAIT).until(() -> bobSees.messagesIn(chat).size() == 3);
                    await().atMost(WAIT).until(() -> !delivered(aliceSees, chat).isEmpty());
                    DeliveredMarker pushed = delivered(aliceSees, chat).getFirst();
                    assertThat(pushed.getUpToSeq()).isEqualTo(third);
                    assertThat(pushed.getUsername()).isEqualTo("bob");
                    assertThat(aliceSees.updates.stream().filter(Update::hasDelivered))
                            .allSatisfy(u -> assertThat(u.getPts()).isZero()); // not a log entry
                    Dialog got = dialog(alice, chat);
                    assertThat(got.getPeerDeliveredSeq()).isEqualTo(third);
                    assertThat(got.getPeerReadSeq()).isZero();

                    // Reading: the read marker rises, delivered stays at least as high.
                    get(bob.markRead(chat, second));
                    assertThat(dialog(alice, chat).getPeerReadSeq()).isEqualTo(second);
                    assertThat(dialog(alice, chat).getPeerDeliveredSeq()).isEqualTo(third);
                    fourth = get(alice.sendText(chat, "four")).getSeq();
                    await().atMost(WAIT).until(() -> delivered(aliceSees, chat).getLast().getUpToSeq() == fourth);
                    get(bob.markRead(chat, fourth));
                    assertThat(dialog(alice, chat).getPeerReadSeq()).isEqualTo(fourth);
                    assertThat(dialog(alice, chat).getPeerDeliveredSeq()).isEqualTo(fourth);

                    // Stale, beyond the newest, not positive, not a member.
                    Ok stale = get(bob.markDelivered(chat, 1));
                    assertThat(stale.getSeq()).isEqualTo(1);
                    assertThat(stale.getPts()).isZero();
                    refused(bob.markDelivered(chat, fourth + 1_000), ErrorCode.INVALID_ARGUMENT);
                    refused(bob.markDelivered(chat, 0), ErrorCode.INVALID_ARGUMENT);
                    try (TernClient carol = node.user("carol", new Recorder())) {
                        refused(carol.markDelivered(chat, 1), ErrorCode.NOT_MEMBER);
                    }
                    // The pushes go out in commit order: once the next one is here, the stale one made none.
                    fifth = get(alice.sendText(chat, "five")).getSeq();
                    await().atMost(WAIT).until(() -> delivered(aliceSees, chat).getLast().getUpToSeq() == fifth);
                    assertThat(delivered(aliceSees, chat)).extracting(DeliveredMarker::getUpToSeq)
                            .containsExactly(third, fourth, fifth);
                    assertThat(dialog(alice, chat).getPeerDeliveredSeq()).isEqualTo(fifth);
                }
            }
        }
        try (TestNode node = TestNode.start(dir); TernClient alice = node.user("alice", new Recorder())) {
            Dialog kept = dialog(alice, chat);
            assertThat(kept.getPeerReadSeq()).isEqualTo(fourth);
            assertThat(kept.getPeerDeliveredSeq()).isEqualTo(fifth);
        }
    }

    @Test
    void aGroupShowsTheHighestVisibleMarkersAndPrivacyHidesBoth() {
        try (TestNode node = TestNode.start(dir)) {
            Recorder aliceSees = new Recorder();
            try (TernClient alice = node.user("alice", aliceSees); TernClient bob = manual(node, "bob", new Recorder());
                 TernClient carol = manual(node, "carol", new Recorder())) {
                long group = get(alice.createGroup("trio", List.of("bob", "carol"))).getConversationId();
                long s1 = get(alice.sendText(group, "s1")).getSeq();
                long s2 = get(alice.sendText(group, "s2")).getSeq();
                long s3 = get(alice.sendText(group, "s3")).getSeq();
                get(bob.markDelivered(group, s1));
                get(carol.markDelivered(group, s3));
                get(carol.markRead(group, s2));
                get(bob.markRead(group, s1));
                Dialog d = dialog(alice, group);
                assertThat(d.getPeerReadSeq()).isEqualTo(s2);
                assertThat(d.getPeerDeliveredSeq()).isEqualTo(s3);
                // Bob sees carol's markers in his dialog, not his own.
                assertThat(dialog(bob, group).getPeerDeliveredSeq()).isEqualTo(s3);

                // Carol hides her receipts: only bob's markers count for alice.
                get(carol.setPrivacy(Visibility.VISIBILITY_UNSPECIFIED, Visibility.NOBODY));
                d = dialog(alice, group);
                assertThat(d.getPeerReadSeq()).isEqualTo(s1);
                assertThat(d.getPeerDeliveredSeq()).isEqualTo(s1);
                long s4 = get(alice.sendText(group, "s4")).getSeq();
                get(carol.markDelivered(group, s4));
                get(bob.markDelivered(group, s4));
                assertThat(dialog(alice, group).getPeerDeliveredSeq()).isEqualTo(s4);

                // Group markers are pushed to nobody (a push per member per member per message): a
                // direct chat's marker, made after them, arrives alone (pushes keep commit order).
                long withBob = get(alice.sendTextTo("bob", "ping")).getConversationId();
                get(bob.markDelivered(withBob, dialog(alice, withBob).getTopMessage().getSeq()));
                await().atMost(WAIT).until(() -> delivered(aliceSees, withBob).size() == 1);
                assertThat(delivered(aliceSees, group)).isEmpty();

                // A direct chat whose peer hides receipts shows neither marker.
                long chat = get(alice.sendTextTo("carol", "hi")).getConversationId();
                get(carol.markRead(chat, get(alice.sendText(chat, "there")).getSeq()));
                assertThat(dialog(alice, chat).getPeerReadSeq()).isZero();
                assertThat(dialog(alice, chat).getPeerDeliveredSeq()).isZero();
                get(carol.setPrivacy(Visibility.VISIBILITY_UNSPECIFIED, Visibility.EVERYONE));
                assertThat(dialog(alice, chat).getPeerReadSeq()).isEqualTo(dialog(alice, chat).getTopMessage().getSeq());
                assertThat(dialog(alice, chat).getPeerDeliveredSeq()).isEqualTo(dialog(alice, chat).getPeerReadSeq());
            }
        }
    }

    @Test
    void aChannelSubscribersDeliveredMarkerIsStoredButPushedToNobody() {
        try (TestNode node = TestNode.start(dir)) {
            Recorder aliceSees = new Recorder();
            Recorder daveSees = new Recorder();
            try (TernClient alice = node.user("alice", aliceSees); TernClient dave = node.user("dave", daveSees)) {
                long channel = get(alice.createChannel("News", "", "tern_news")).getConversationId();
                get(dave.joinChannel("tern_news"));
                long post = get(alice.sendText(channel, "post")).getSeq();
                await().atMost(WAIT).until(() -> daveSees.messagesIn(channel).size() == 1);
                Ok ok = get(dave.markDelivered(channel, post));
                assertThat(ok.getPts()).isZero();
                assertThat(dialog(alice, channel).getPeerDeliveredSeq()).isZero();
                assertThat(dialog(alice, channel).getPeerReadSeq()).isZero();

                // A direct chat's marker, made after it, reaches alice; the channel's never did.
                long chat = get(alice.sendTextTo("dave", "psst")).getConversationId();
                await().atMost(WAIT).until(() -> !delivered(aliceSees, chat).isEmpty());
                assertThat(aliceSees.updates).filteredOn(Update::hasDelivered)
                        .allSatisfy(u -> assertThat(u.getDelivered().getConversationId()).isEqualTo(chat));
            }
        }
    }
}
