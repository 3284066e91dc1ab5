package dev.tern.server;

import dev.tern.client.TernClient;
import dev.tern.client.TernException;
import dev.tern.protocol.v1.ConversationInfo;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.Ok;
import dev.tern.protocol.v1.Role;
import dev.tern.protocol.v1.ServiceEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class GroupIT {
    @TempDir
    Path dir;

    @Test
    void offlineMembersCatchUpExactlyOnceInOrderAndLateJoinersSeeOnlyWhatFollows() {
        try (TestNode node = TestNode.start(dir)) {
            Recorder ra = new Recorder();
            Recorder rb = new Recorder();
            Recorder rc = new Recorder();
            TernClient a = node.user("alice", ra);
            TernClient b = node.user("bob", rb);
            TernClient c = node.user("carol", rc);
            TernClient d = node.user("dave", new Recorder());
            TernClient e = node.user("erin", new Recorder());
            node.user("frank", new Recorder()).close();

            Ok created = get(a.createGroup("five", List.of("bob", "carol", "dave", "erin")));
            long group = created.getConversationId();
            ConversationInfo info = get(a.conversation(group));
            assertThat(info.getTitle()).isEqualTo("five");
            assertThat(info.getMembersList()).hasSize(5);
            assertThat(info.getMembersList()).filteredOn(m -> m.getRole() == Role.OWNER)
                    .extracting(m -> m.getUsername()).containsExactly("alice");

            // dave and erin go offline; they keep their tickets and cursors.
            await().atMost(Duration.ofSeconds(10)).until(() -> d.cursor() > 0 && e.cursor() > 0);
            String dTicket = d.ticket();
            String eTicket = e.ticket();
            long dCursor = d.cursor();
            long eCursor = e.cursor();
            d.close();
            e.close();

            List<CompletableFuture<?>> sends = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                sends.add(a.sendText(group, "a" + i));
                sends.add(b.sendText(group, "b" + i));
                sends.add(c.sendText(group, "c" + i));
            }
            sends.forEach(TestNode::get);
            await().atMost(Duration.ofSeconds(20)).until(() -> ra.othersIn(group, "alice").size() == 200
                    && rb.othersIn(group, "bob").size() == 200 && rc.othersIn(group, "carol").size() == 200);

            Recorder rd = new Recorder();
            Recorder re = new Recorder();
            TernClient d2 = node.client(rd);
            TernClient e2 = node.client(re, false); // one over JSON, one over binary
            get(d2.resume(dTicket, dCursor));
            get(e2.resume(eTicket, eCursor));
            await().atMost(Duration.ofSeconds(20)).until(() -> rd.messagesIn(group).size() == 300
                    && re.messagesIn(group).size() == 300);

            // Everyone who was offline sees the same order as the full timeline; no duplicates.
            List<Long> timeline = ConversationIT.all(a, group).stream().filter(m -> !m.hasService())
                    .map(Message::getSeq).toList();
            assertThat(rd.messagesIn(group)).extracting(Message::getSeq).containsExactlyElementsOf(timeline);
            assertThat(re.messagesIn(group)).extracting(Message::getSeq).containsExactlyElementsOf(timeline);
            // The online members got the others' messages in that same relative order.
            assertThat(ra.messagesIn(group)).extracting(Message::getSeq).isSorted().doesNotHaveDuplicates();
            assertThat(timeline).containsSubsequence(ra.othersIn(group, "alice").stream().map(Message::getSeq).toList());

            // frank is added later: history starts at his join; he gets only later messages.
            Ok added = get(a.addMember(group, "frank", Role.MEMBER));
            Recorder rf = new Recorder();
            TernClient f = node.user("frank", rf);
            List<Message> franksHistory = ConversationIT.all(f, group);
            assertThat(franksHistory).hasSize(1);
            assertThat(franksHistory.getFirst().getService().getType()).isEqualTo(ServiceEvent.Type.MEMBER_ADDED);
            assertThat(franksHistory.getFirst().getSeq()).isEqualTo(added.getSeq());
            get(b.sendText(group, "welcome frank"));
            await().atMost(Duration.ofSeconds(10)).until(() -> rf.messagesIn(group).size() == 1);
            assertThat(rf.messagesIn(group).getFirst().getText()).isEqualTo("welcome frank");
            assertThat(ConversationIT.all(f, group)).hasSize(2);

            // A removed member is told, then refused.
            Ok removed = get(a.removeMember(group, "frank"));
            await().atMost(Duration.ofSeconds(10)).until(() -> rf.updates.stream().anyMatch(u -> u.hasMessage()
                    && u.getMessage().getSeq() == removed.getSeq()));
            assertThatThrownBy(() -> get(f.sendText(group, "still here?")))
                    .isInstanceOfSatisfying(TernException.class, x -> assertThat(x.code()).isEqualTo(ErrorCode.NOT_MEMBER));
            assertThatThrownBy(() -> get(f.history(group, 0, 10)))
                    .isInstanceOfSatisfying(TernException.class, x -> assertThat(x.code()).isEqualTo(ErrorCode.NOT_MEMBER));

            // Non-admins cannot change membership; the owner leaving hands ownership on.
            assertThatThrownBy(() -> get(b.addMember(group, "frank", Role.MEMBER)))
                    .isInstanceOfSatisfying(TernException.class, x -> assertThat(x.code()).isEqualTo(ErrorCode.FORBIDDEN));
            get(a.leave(group));
            ConversationInfo after = get(b.conversation(group));
            assertThat(after.getMembersList()).extracting(m -> m.getUsername())
                    .containsExactlyInAnyOrder("bob", "carol", "dave", "erin");
            assertThat(after.getMembersList()).filteredOn(m -> m.getRole() == Role.OWNER).hasSize(1);
            for (TernClient x : List.of(a, b, c, d2, e2, f)) {
                x.close();
            }
        }
    }
}
