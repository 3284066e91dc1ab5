package dev.tern.server;

import dev.tern.client.TernClient;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.Presence;
import dev.tern.protocol.v1.SendAck;
import dev.tern.protocol.v1.Update;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MultiDeviceIT {
    @TempDir
    Path dir;

    @Test
    void messagesAndReadMarkersReachTheUsersOtherDevice() {
        try (TestNode node = TestNode.start(dir)) {
            Recorder phone = new Recorder();
            Recorder laptop = new Recorder();
            Recorder rb = new Recorder();
            try (TernClient a1 = node.user("alice", phone); TernClient a2 = node.user("alice", laptop);
                 TernClient b = node.user("bob", rb)) {
                assertThat(a1.session().getDeviceId()).isNotEqualTo(a2.session().getDeviceId());

                // Sent from the phone: the laptop and bob get it; the phone learns from its ack.
                SendAck ack = get(a1.sendTextTo("bob", "from my phone"));
                long chat = ack.getConversationId();
                await().atMost(Duration.ofSeconds(10)).until(() -> laptop.messages().size() == 1 && rb.messages().size() == 1);
                assertThat(laptop.messages().getFirst().getText()).isEqualTo("from my phone");
                assertThat(laptop.messages().getFirst().getSenderDeviceId()).isEqualTo(a1.session().getDeviceId());
                assertThat(phone.messages()).isEmpty();
                assertThat(a1.cursor()).isEqualTo(ack.getPts());

                // bob's reply reaches both of alice's devices.
                SendAck reply = get(b.sendText(chat, "hi alice"));
                await().atMost(Duration.ofSeconds(10)).until(() -> phone.messages().size() == 1 && laptop.messages().size() == 2);

                // Reading on the phone: the laptop and bob learn the marker.
                get(a1.markRead(chat, reply.getSeq()));
                await().atMost(Duration.ofSeconds(10)).until(() -> reads(laptop).size() == 1 && reads(rb).size() == 1);
                assertThat(reads(laptop).getFirst().getRead().getUpToSeq()).isEqualTo(reply.getSeq());
                assertThat(reads(laptop).getFirst().getRead().getUsername()).isEqualTo("alice");
                assertThat(reads(rb).getFirst().getRead().getConversationId()).isEqualTo(chat);
                assertThat(reads(phone)).isEmpty();
                // Marking an older seq is a no-op: nobody hears about it again.
                get(a2.markRead(chat, ack.getSeq()));

                // Typing is forwarded to the other member only.
                get(b.typing(chat, false));
                await().atMost(Duration.ofSeconds(10)).until(() -> phone.typing.size() == 1 && laptop.typing.size() == 1);
                assertThat(phone.typing.getFirst().getUsername()).isEqualTo("bob");
                assertThat(rb.typing).isEmpty();

                // All three cursors agree with a full sync of each log: nothing missed, nothing doubled.
                await().atMost(Duration.ofSeconds(10)).until(() -> a1.cursor() == a2.cursor());
                assertThat(get(a1.sync(a1.cursor(), 10)).getUpdatesList()).isEmpty();
                List<Update> full = get(a2.sync(0, 100)).getUpdatesList();
                assertThat(full).extracting(Update::getPts).isSorted().doesNotHaveDuplicates();
                assertThat(full).hasSize(3); // phone's message, bob's reply, phone's read marker
                // Log entries only: bob's SDK also reported delivery, a push with pts 0.
                assertThat(laptop.updates).filteredOn(u -> u.getPts() != 0).hasSize(3);
                assertThat(reads(rb)).hasSize(1);
            }
        }
    }

    @Test
    void presenceIsVisibleToChatPartnersOnlyAndSubscriptionsSeeChanges() {
        try (TestNode node = TestNode.start(dir)) {
            Recorder ra = new Recorder();
            try (TernClient a = node.user("alice", ra); TernClient c = node.user("carol", new Recorder())) {
                TernClient b = node.user("bob", new Recorder());
                get(a.sendTextTo("bob", "hi"));
                List<Presence> seen = get(a.presence(List.of("bob", "carol", "nobody_here"), true)).getPresencesList();
                assertThat(seen.get(0).getOnline()).isTrue();
                assertThat(seen.get(0).getUserId()).isEqualTo(b.session().getUserId());
                // carol shares no chat with alice: indistinguishable from a user that does not exist.
                assertThat(seen.get(1)).isEqualTo(seen.get(2).toBuilder().setUsername("carol").build());
                assertThat(seen.get(1).getOnline()).isFalse();
                assertThat(seen.get(1).getLastSeenMs()).isZero();

                b.close();
                await().atMost(Duration.ofSeconds(10)).until(() -> !ra.presence.isEmpty());
                Presence offline = ra.presence.getLast();
                assertThat(offline.getUsername()).isEqualTo("bob");
                assertThat(offline.getOnline()).isFalse();
                assertThat(offline.getLastSeenMs()).isPositive();
                assertThat(get(c.presence(List.of("alice"), false)).getPresences(0).getOnline()).isFalse();
            }
        }
    }

    @Test
    void presenceStopsWhenTheLastSharedConversationIsLeft() throws Exception {
        try (TestNode node = TestNode.start(dir)) {
            Recorder rc = new Recorder();
            TernClient carol = node.user("carol", rc);
            TernClient dave = node.user("dave", new Recorder());
            long group = get(carol.createGroup("pair", List.of("dave"))).getConversationId();
            assertThat(get(carol.presence(List.of("dave"), true)).getPresences(0).getOnline()).isTrue();
            // Still sharing the group: dave going away and coming back is announced to carol.
            dave.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> rc.presence.size() == 1);
            TernClient dave2 = node.user("dave", new Recorder());
            await().atMost(Duration.ofSeconds(10)).until(() -> rc.presence.size() == 2);
            assertThat(rc.presence.getLast().getOnline()).isTrue();

            get(carol.leave(group));
            dave2.close();
            Thread.sleep(1000); // an announcement, if one were (wrongly) sent, arrives well within this
            assertThat(rc.presence).hasSize(2);
            carol.close();
        }
    }

    private static List<Update> reads(Recorder r) {
        return r.updates.stream().filter(Update::hasRead).toList();
    }

    static List<String> texts(List<Message> ms) {
        return ms.stream().map(Message::getText).toList();
    }
}
