package dev.tern.server;

import dev.tern.client.TernClient;
import dev.tern.protocol.v1.ConversationInfo;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.Session;
import dev.tern.protocol.v1.SendAck;
import dev.tern.protocol.v1.Update;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;

class RestartIT {
    @TempDir
    Path dir;

    @Test
    void historyCursorsTicketsAndGroupsSurviveARestart() {
        String ticket;
        long cursor;
        long group;
        long chat;
        long lastSeq;
        List<Message> historyBefore;
        List<Update> logBefore;
        ConversationInfo infoBefore;
        try (TestNode node = TestNode.start(dir)) {
            try (TernClient a = node.user("alice", new Recorder()); TernClient b = node.user("bob", new Recorder());
                 TernClient c = node.user("carol", new Recorder())) {
                chat = get(a.sendTextTo("bob", "before restart")).getConversationId();
                group = get(a.createGroup("club", List.of("bob", "carol"))).getConversationId();
                for (int i = 0; i < 150; i++) { // more than one sequencer step (100 in tests)
                    get(b.sendText(group, "g" + i));
                }
                lastSeq = get(c.sendText(group, "last")).getSeq();
                get(a.markRead(group, lastSeq));
                historyBefore = ConversationIT.all(a, group);
                infoBefore = get(a.conversation(group));
                logBefore = get(a.sync(0, 500)).getUpdatesList();
                ticket = a.ticket();
                cursor = a.cursor();
            }
        }
        try (TestNode node = TestNode.start(dir)) {
            Recorder ra = new Recorder();
            try (TernClient a = node.client(ra); TernClient b = node.user("bob", new Recorder())) {
                Session s = get(a.resume(ticket, cursor));
                assertThat(s.getUsername()).isEqualTo("alice");
                assertThat(s.getPts()).isEqualTo(cursor);
                assertThat(ConversationIT.all(a, group)).isEqualTo(historyBefore);
                assertThat(get(a.conversation(group))).isEqualTo(infoBefore);
                assertThat(get(a.sync(0, 500)).getUpdatesList()).isEqualTo(logBefore);
                assertThat(get(a.sync(cursor, 500)).getUpdatesList()).isEmpty();
                assertThat(ConversationIT.all(a, chat)).extracting(Message::getText).containsExactly("before restart");

                // Group changes work at once after a restart (the seq resumes above the bound).
                TernClient c2 = node.user("carol", new Recorder());
                get(c2.leave(group));
                dev.tern.protocol.v1.Ok readded = get(a.addMember(group, "carol", dev.tern.protocol.v1.Role.MEMBER));
                assertThat(readded.getSeq()).isGreaterThan(lastSeq);
                c2.close();
                // The Ok's entry reaches the cursor on the SDK's event thread: wait for it.
                org.awaitility.Awaitility.await().until(() -> a.cursor() == readded.getPts());

                // Numbers continue upwards: never repeated, never back.
                long cursorNow = a.cursor();
                SendAck next = get(b.sendText(group, "after restart"));
                assertThat(next.getSeq()).isGreaterThan(readded.getSeq());
                org.awaitility.Awaitility.await().until(() -> ra.messages().size() == 1);
                Update pushed = ra.messages().isEmpty() ? null : ra.updates.stream()
                        .filter(u -> u.hasMessage() && !u.getMessage().hasService()).findFirst().orElseThrow();
                assertThat(pushed.getPts()).isGreaterThan(cursor);
                assertThat(pushed.getPrevPts()).isEqualTo(cursorNow); // links stay exact across the restart
                org.awaitility.Awaitility.await().until(() -> a.cursor() == pushed.getPts());
            }
        }
    }
}
