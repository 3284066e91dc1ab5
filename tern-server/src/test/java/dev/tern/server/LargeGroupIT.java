package dev.tern.server;

import dev.tern.client.TernClient;
import dev.tern.protocol.v1.ConversationInfo;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.Role;
import dev.tern.protocol.v1.SyncResult;
import dev.tern.protocol.v1.Update;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.tern.server.MessageOpsIT.refused;
import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Groups above groups.broadcast-threshold take the channel's path (fan-out on read): a message
 * costs the same writes whatever the member count, online members get it pushed, offline ones
 * find it through news in sync; below the threshold every member's log has it as before.
 */
class LargeGroupIT {
    static final int THRESHOLD = 6;

    @TempDir
    Path dir;

    @Test
    void aGroupAboveTheThresholdIsFannedOutOnRead() throws Exception {
        try (TestNode node = TestNode.start(dir, Map.of("groups.broadcast-threshold", Integer.toString(THRESHOLD),
                "limits.max-group-members", "12"))) {
            Recorder bobSees = new Recorder();
            try (TernClient alice = node.user("alice", new Recorder()); TernClient bob = node.user("bob", bobSees)) {
                List<String> names = new ArrayList<>(List.of("bob"));
                for (int i = 0; i < 4; i++) {
                    names.add("member" + i);
                    node.user("member" + i, new Recorder()).close();
                }
                long group = get(alice.createGroup("crowd", names)).getConversationId(); // 6 members: not yet
                assertThat(get(bob.conversation(group)).getBroadcast()).isFalse();
                long small = get(alice.sendText(group, "while small")).getSeq();
                await().atMost(Duration.ofSeconds(10)).until(() -> bobSees.updates.stream()
                        .anyMatch(u -> u.getPts() > 0 && u.hasMessage() && u.getMessage().getSeq() == small));

                TernClient carol = node.user("carol", new Recorder());
                long carolPts = carol.cursor();
                carol.close();
                get(alice.addMember(group, "carol", Role.MEMBER)); // 7 members: fanned out on read from now on
                ConversationInfo info = get(bob.conversation(group));
                assertThat(info.getBroadcast()).isTrue();
                assertThat(info.getMemberCount()).isEqualTo(7);
                assertThat(info.getMembersList()).isEmpty();

                // Bob's log got the add (the group was small when it was ordered); wait for it to settle.
                await().atMost(Duration.ofSeconds(10)).until(() -> bobSees.updates.stream().anyMatch(u -> u.hasMessage()
                        && u.getMessage().getService().getType() == dev.tern.protocol.v1.ServiceEvent.Type.MEMBER_ADDED));
                double before = ChannelScaleIT.mutations(node);
                long bobPtsBefore = bob.cursor();
                List<String> sent = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    sent.add("crowded " + i + (i == 3 ? " @carol" : ""));
                    get(alice.sendText(group, sent.getLast()));
                }
                double perMessage = (ChannelScaleIT.mutations(node) - before) / 10;
                // message, author's entry, dedup, search backlog (+ an occasional sequencer bound)
                assertThat(perMessage).isLessThanOrEqualTo(4.2);

                await().atMost(Duration.ofSeconds(10)).until(() -> ChannelIT.postsPushed(bobSees, group).size() == 10);
                assertThat(ChannelIT.postsPushed(bobSees, group)).extracting(Message::getText).isEqualTo(sent);
                assertThat(bob.cursor()).isEqualTo(bobPtsBefore);

                // Members still post (it is a group); the newcomer's membership change reached her own log.
                try (TernClient back = node.user("carol", new Recorder())) {
                    SyncResult sync = get(back.sync(carolPts, 100));
                    assertThat(sync.getUpdatesList()).anyMatch(u -> u.hasMessage() && u.getMessage().hasService());
                    assertThat(sync.getNewsList()).singleElement().satisfies(n -> {
                        assertThat(n.getConversationId()).isEqualTo(group);
                        assertThat(n.getUnreadCount()).isEqualTo(11); // the ten and "alice added carol"
                        assertThat(n.getUnreadMentions()).isEqualTo(1);
                    });
                    assertThat(get(back.sendText(group, "hello crowd")).getSeq()).isPositive();
                    refused(back.typing(group + 1000, false), ErrorCode.NOT_MEMBER);
                    get(back.typing(group, false)); // typing still works in a large group
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> ChannelIT.postsPushed(bobSees, group).stream()
                        .anyMatch(m -> m.getText().equals("hello crowd")));
                assertThat(bobSees.updates.stream().filter(u -> u.getPts() == 0 && u.hasMessage())
                        .map(Update::getMessage).filter(m -> m.getText().contains("@carol")).findFirst().orElseThrow()
                        .getMentionIdsList()).hasSize(1);
            }
        }
    }

    @Test
    void aGroupThatWasLargeStaysFannedOutOnReadSoOfflineMembersStillGetNews() {
        try (TestNode node = TestNode.start(dir, Map.of("groups.broadcast-threshold", "3"))) {
            try (TernClient alice = node.user("alice", new Recorder())) {
                for (String n : List.of("bob", "carol", "dave")) {
                    node.user(n, new Recorder()).close();
                }
                TernClient bob = node.user("bob", new Recorder());
                long bobPts = bob.cursor();
                bob.close();
                long group = get(alice.createGroup("four", List.of("bob", "carol", "dave"))).getConversationId();
                long seq = get(alice.sendText(group, "while we were four")).getSeq();
                // Down to three members, below the threshold: the group stays a broadcast one.
                try (TernClient dave = node.user("dave", new Recorder())) {
                    get(dave.leave(group));
                }
                assertThat(get(alice.conversation(group)).getBroadcast()).isTrue();
                try (TernClient back = node.user("bob", new Recorder())) {
                    SyncResult sync = get(back.sync(bobPts, 100));
                    assertThat(sync.getNewsList()).singleElement().satisfies(n -> {
                        assertThat(n.getConversationId()).isEqualTo(group);
                        assertThat(n.getLastSeq()).isGreaterThanOrEqualTo(seq);
                    });
                    assertThat(get(back.history(group, 0, 10)).getMessagesList()).extracting(Message::getText)
                            .contains("while we were four");
                }
            }
        }
        // The mark survives a restart.
        try (TestNode node = TestNode.start(dir, Map.of("groups.broadcast-threshold", "3"));
             TernClient alice = node.user("alice", new Recorder())) {
            long group = DialogsIT.dialogs(alice).getFirst().getConversationId();
            assertThat(get(alice.conversation(group)).getBroadcast()).isTrue();
        }
    }
}
