package dev.tern.server;

import dev.tern.client.TernClient;
import dev.tern.protocol.v1.GetDialogs;
import dev.tern.protocol.v1.Dialog;
import dev.tern.protocol.v1.Ok;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.Send;
import dev.tern.protocol.v1.SendAck;
import dev.tern.protocol.v1.Update;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdempotencyIT {
    @TempDir
    Path dir;

    @Test
    void aRetriedSendReturnsTheFirstAckAndStoresOneMessage() {
        try (TestNode node = TestNode.start(dir)) {
            try (TernClient a = node.user("alice", new Recorder()); TernClient b = node.user("bob", new Recorder())) {
                Send.Builder msg = Send.newBuilder().setPeer("bob").setClientMsgId("m-1").setContentType("text/plain")
                        .setText("once");
                SendAck first = get(a.send(msg.clone()));
                SendAck retry = get(a.send(msg.clone()));
                assertThat(first.getDuplicate()).isFalse();
                assertThat(retry.getDuplicate()).isTrue();
                assertThat(retry.toBuilder().setDuplicate(false).build()).isEqualTo(first);

                // The same id from a second connection of the same device, concurrently, also dedups.
                TernClient sameDevice = node.client(new Recorder());
                get(sameDevice.resume(a.ticket(), -1));
                Send.Builder twice = Send.newBuilder().setConversationId(first.getConversationId())
                        .setClientMsgId("m-2").setContentType("text/plain").setText("twice");
                CompletableFuture<SendAck> x = a.send(twice.clone());
                CompletableFuture<SendAck> y = sameDevice.send(twice.clone());
                assertThat(get(x).getSeq()).isEqualTo(get(y).getSeq());

                // A different device may use the same client id for its own message.
                TernClient other = node.user("alice", new Recorder());
                SendAck mine = get(other.send(msg.clone().setClientMsgId("m-1").setText("other device")));
                assertThat(mine.getDuplicate()).isFalse();
                assertThat(mine.getSeq()).isNotEqualTo(first.getSeq());

                List<Message> stored = ConversationIT.all(b, first.getConversationId());
                assertThat(stored).extracting(Message::getText).containsExactly("once", "twice", "other device");
                sameDevice.close();
                other.close();
            }
        }
    }

    @Test
    void aRetryMarkedAsSuchIsAnsweredBeforeOrderingSoEveryLogStaysLinked() {
        try (TestNode node = TestNode.start(dir)) {
            try (TernClient a = node.user("alice", new Recorder()); TernClient b = node.user("bob", new Recorder())) {
                Send.Builder msg = Send.newBuilder().setPeer("bob").setClientMsgId("r-1").setContentType("text/plain")
                        .setText("first");
                SendAck first = get(a.send(msg.clone()));
                // As after a crash that lost the ack: the same id again, marked as a retransmission.
                SendAck retry = get(a.send(msg.clone().setRetry(true)));
                assertThat(retry.toBuilder().setDuplicate(false).build()).isEqualTo(first);
                SendAck next = get(a.sendText(first.getConversationId(), "next"));
                // The retry took no numbers: the next entry links to the first in both logs.
                assertThat(next.getPrevPts()).isEqualTo(first.getPts());
                assertThat(next.getSeq()).isEqualTo(first.getSeq() + 1);
                List<Update> bobs = get(b.sync(0, 100)).getUpdatesList();
                assertThat(bobs).hasSize(2);
                assertThat(bobs.get(1).getPrevPts()).isEqualTo(bobs.get(0).getPts());
            }
        }
    }

    @Test
    void aRetriedCreationWithTheSameClientIdMakesOneGroupOrChannel() throws Exception {
        String ticket;
        Ok group;
        try (TestNode node = TestNode.start(dir)) {
            try (TernClient a = node.user("alice", new Recorder()); TernClient b = node.user("bob", new Recorder())) {
                group = get(a.createGroup("Trip", List.of("bob"), "g-1"));
                Ok again = get(a.createGroup("Trip", List.of("bob"), "g-1"));
                assertThat(again).isEqualTo(group);
                // Concurrent repeats (as from a retry racing the first): still one.
                List<CompletableFuture<Ok>> racing = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    racing.add(a.createGroup("Race", List.of(), "g-2"));
                }
                long raced = get(racing.getFirst()).getConversationId();
                for (CompletableFuture<Ok> f : racing) {
                    assertThat(get(f).getConversationId()).isEqualTo(raced);
                }
                Ok channel = get(a.createChannel("News", "", "tern_retry", "c-1"));
                assertThat(get(a.createChannel("News", "", "tern_retry", "c-1"))).isEqualTo(channel);
                // Without an id every request creates; another device's same id is its own.
                Ok plain1 = get(a.createGroup("Plain", List.of()));
                Ok plain2 = get(a.createGroup("Plain", List.of()));
                assertThat(plain2.getConversationId()).isNotEqualTo(plain1.getConversationId());
                try (TernClient phone = node.user("alice", new Recorder())) {
                    assertThat(get(phone.createGroup("Trip", List.of(), "g-1")).getConversationId())
                            .isNotEqualTo(group.getConversationId());
                }
                assertThatThrownBy(() -> get(a.createGroup("Long", List.of(), "x".repeat(65))))
                        .hasMessageContaining("INVALID_ARGUMENT");
                // An id already used for a message is refused, not answered with the message's numbers.
                get(a.send(Send.newBuilder().setPeer("bob").setClientMsgId("used").setContentType("text/plain")
                        .setText("hi")));
                assertThatThrownBy(() -> get(a.createGroup("Reused", List.of(), "used")))
                        .hasMessageContaining("INVALID_ARGUMENT");

                // Alice's dialogs: Trip (from the laptop) once, Race once, News once, two Plain, Trip (phone),
                // and the direct chat with bob.
                List<String> titles = get(a.dialogs(GetDialogs.newBuilder().setLimit(50).build())).getDialogsList()
                        .stream().map(Dialog::getTitle).sorted().toList();
                assertThat(titles).containsExactly("News", "Plain", "Plain", "Race", "Trip", "Trip", "bob");
                // Bob was added to Trip once (and has the direct chat).
                assertThat(get(b.dialogs(GetDialogs.newBuilder().build())).getDialogsList()).extracting(Dialog::getTitle)
                        .containsExactlyInAnyOrder("Trip", "alice");
                ticket = a.ticket();
            }
        }
        // After a restart the retry is still recognised (the dedup record is durable), on the same device.
        try (TestNode node = TestNode.start(dir); TernClient a = node.client(new Recorder())) {
            get(a.resume(ticket, -1));
            assertThat(get(a.createGroup("Trip", List.of("bob"), "g-1"))).isEqualTo(group);
        }
    }
}
