package dev.tern.server;

import dev.tern.client.TernClient;
import dev.tern.client.TernException;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.Ok;
import dev.tern.protocol.v1.Role;
import dev.tern.protocol.v1.Send;
import dev.tern.protocol.v1.SendAck;
import dev.tern.protocol.v1.Update;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Replies, forwards, edits and recalls over real sockets, with the refusals each has. */
class MessageOpsIT {
    @TempDir
    Path dir;

    /** A clock the test moves forward (edit and recall windows). */
    final AtomicLong nowMs = new AtomicLong(System.currentTimeMillis());
    final InstantSource clock = () -> Instant.ofEpochMilli(nowMs.get());

    static void refused(CompletableFuture<?> f, ErrorCode code) {
        assertThatThrownBy(() -> get(f)).isInstanceOfSatisfying(TernException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }

    static Message last(TernClient c, long conversation) {
        List<Message> all = ConversationIT.all(c, conversation);
        return all.getLast();
    }

    @Test
    void repliesAndForwardsCarryTheirReferencesAndForwardsKeepTheFirstAuthor() {
        try (TestNode node = TestNode.start(dir, Map.of(), clock)) {
            Recorder carolSees = new Recorder();
            try (TernClient alice = node.user("alice", new Recorder()); TernClient bob = node.user("bob", new Recorder());
                 TernClient carol = node.user("carol", carolSees); TernClient dave = node.user("dave", new Recorder())) {
                SendAck hi = get(alice.sendTextTo("bob", "hi bob"));
                long direct = hi.getConversationId();
                SendAck re = get(bob.replyText(direct, hi.getSeq(), "hi alice"));
                Message reply = last(alice, direct);
                assertThat(reply.getReplyToSeq()).isEqualTo(hi.getSeq());
                assertThat(reply.getText()).isEqualTo("hi alice");
                assertThat(reply.getSeq()).isEqualTo(re.getSeq());

                // Bob forwards alice's message into a group with carol; carol forwards it on to dave.
                long group = get(bob.createGroup("team", List.of("carol"))).getConversationId();
                SendAck fwd = get(bob.forward(group, direct, hi.getSeq()));
                await().atMost(Duration.ofSeconds(10)).until(() -> carolSees.messagesIn(group).stream()
                        .anyMatch(m -> m.getSeq() == fwd.getSeq()));
                Message seen = carolSees.messagesIn(group).stream().filter(m -> m.getSeq() == fwd.getSeq()).findFirst()
                        .orElseThrow();
                assertThat(seen.getText()).isEqualTo("hi bob");
                assertThat(seen.getSenderName()).isEqualTo("bob");
                assertThat(seen.getForwarded().getSenderName()).isEqualTo("alice");
                assertThat(seen.getForwarded().getTsMs()).isEqualTo(hi.getTsMs());
                long carolDave = get(carol.sendTextTo("dave", "look")).getConversationId();
                get(carol.forward(carolDave, group, fwd.getSeq()));
                Message onward = last(dave, carolDave);
                assertThat(onward.getForwarded().getSenderName()).as("the first author, not bob").isEqualTo("alice");
                assertThat(onward.getSenderName()).isEqualTo("carol");

                // Refusals: a missing message, a conversation one is not in, a reply by peer name,
                // a forward that carries its own content.
                refused(bob.replyText(direct, 999, "?"), ErrorCode.MESSAGE_NOT_FOUND);
                refused(carol.forward(group, direct, hi.getSeq()), ErrorCode.NOT_MEMBER);
                refused(carol.replyText(direct, hi.getSeq(), "?"), ErrorCode.NOT_MEMBER);
                refused(bob.send(Send.newBuilder().setPeer("alice").setReplyToSeq(hi.getSeq())
                        .setContentType("text/plain").setText("x")), ErrorCode.INVALID_ARGUMENT);
                refused(bob.send(Send.newBuilder().setConversationId(group).setContentType("text/plain").setText("x")
                        .setForward(dev.tern.protocol.v1.MessageRef.newBuilder().setConversationId(direct)
                                .setSeq(hi.getSeq()))), ErrorCode.INVALID_ARGUMENT);
                // A service message (the group's creation) is not forwarded.
                refused(bob.forward(direct, group, 1), ErrorCode.NOT_EDITABLE);
            }
        }
    }

    @Test
    void editsReachEveryDeviceOfEveryMemberWhoCanSeeTheMessageAndOnlyTheAuthorEditsInTheWindow() {
        try (TestNode node = TestNode.start(dir, Map.of(), clock)) {
            Recorder bobSees = new Recorder();
            try (TernClient alice = node.user("alice", new Recorder()); TernClient bob = node.user("bob", bobSees)) {
                long group = get(alice.createGroup("g", List.of("bob"))).getConversationId();
                SendAck m = get(alice.sendText(group, "helo"));
                long bobCursorBefore = bob.cursor();
                Ok ok = get(alice.editText(group, m.getSeq(), "hello"));
                assertThat(ok.getPts()).isPositive();

                await().atMost(Duration.ofSeconds(10)).until(() -> bobSees.updates.stream().anyMatch(Update::hasEdited));
                Message edited = bobSees.updates.stream().filter(Update::hasEdited).findFirst().orElseThrow().getEdited();
                assertThat(edited.getSeq()).isEqualTo(m.getSeq());
                assertThat(edited.getText()).isEqualTo("hello");
                assertThat(edited.getEditedAtMs()).isEqualTo(nowMs.get());
                // History shows the current text; a device syncing from before sees the edit entry.
                assertThat(last(bob, group).getText()).isEqualTo("hello");
                List<Update> synced = get(bob.sync(bobCursorBefore, 100)).getUpdatesList();
                assertThat(synced).anyMatch(u -> u.hasEdited() && u.getEdited().getText().equals("hello"));

                // A member added later gets no entry for a message from before their time.
                try (TernClient carol = node.user("carol", new Recorder())) {
                    get(alice.addMember(group, "carol", Role.MEMBER));
                    long carolFrom = carol.cursor();
                    get(alice.editText(group, m.getSeq(), "hello!"));
                    SendAck after = get(alice.sendText(group, "for carol too"));
                    List<Update> carolLog = get(carol.sync(carolFrom, 100)).getUpdatesList();
                    assertThat(carolLog).noneMatch(Update::hasEdited);
                    assertThat(carolLog).anyMatch(u -> u.hasMessage() && u.getMessage().getSeq() == after.getSeq());
                    refused(carol.editText(group, m.getSeq(), "x"), ErrorCode.MESSAGE_NOT_FOUND);
                }

                refused(bob.editText(group, m.getSeq(), "not yours"), ErrorCode.FORBIDDEN);
                refused(alice.editText(group, 999, "x"), ErrorCode.MESSAGE_NOT_FOUND);
                refused(alice.editText(group, 1, "x"), ErrorCode.NOT_EDITABLE); // the creation service message
                nowMs.addAndGet(Duration.ofHours(49).toMillis());
                refused(alice.editText(group, m.getSeq(), "too late"), ErrorCode.EDIT_WINDOW_PASSED);
                assertThat(last(alice, group).getText()).isEqualTo("for carol too");
                assertThat(ConversationIT.all(alice, group).stream().filter(x -> x.getSeq() == m.getSeq()).findFirst()
                        .orElseThrow().getText()).isEqualTo("hello!");
            }
        }
    }

    @Test
    void recallErasesTheContentForEveryoneAndSurvivesARestart() {
        long group;
        long mine;
        long bobs;
        try (TestNode node = TestNode.start(dir, Map.of(), clock)) {
            Recorder bobSees = new Recorder();
            try (TernClient alice = node.user("alice", new Recorder()); TernClient bob = node.user("bob", bobSees)) {
                group = get(alice.createGroup("g", List.of("bob"))).getConversationId();
                mine = get(alice.sendText(group, "oops")).getSeq();
                bobs = get(bob.sendText(group, "bob's")).getSeq();
                SendAck bobsLate = get(bob.sendText(group, "bob's late"));

                get(alice.recall(group, mine));
                await().atMost(Duration.ofSeconds(10)).until(() -> bobSees.updates.stream().anyMatch(Update::hasRecalled));
                Message tomb = bobSees.updates.stream().filter(Update::hasRecalled).findFirst().orElseThrow().getRecalled();
                assertThat(tomb.getSeq()).isEqualTo(mine);
                assertThat(tomb.getRecalled()).isTrue();
                assertThat(tomb.getContentCase()).isEqualTo(Message.ContentCase.CONTENT_NOT_SET);
                // Again: nothing changes, no new entry.
                assertThat(get(alice.recall(group, mine)).getPts()).isZero();

                // Refusals: another member's message (bob is not an admin), edit or reply to a deleted one.
                refused(bob.recall(group, mine), ErrorCode.FORBIDDEN);
                refused(alice.editText(group, mine, "x"), ErrorCode.NOT_EDITABLE);
                refused(bob.replyText(group, mine, "x"), ErrorCode.NOT_EDITABLE);
                refused(bob.forward(group, group, mine), ErrorCode.NOT_EDITABLE);

                // The owner may delete a member's message for everyone, even after the window.
                nowMs.addAndGet(Duration.ofHours(49).toMillis());
                refused(bob.recall(group, bobsLate.getSeq()), ErrorCode.RECALL_WINDOW_PASSED);
                get(alice.recall(group, bobs));
            }
        }
        try (TestNode node = TestNode.start(dir, Map.of(), clock)) { // restarted on the same data
            try (TernClient bob = node.user("bob", new Recorder())) {
                List<Message> history = ConversationIT.all(bob, group);
                Message a = history.stream().filter(x -> x.getSeq() == mine).findFirst().orElseThrow();
                Message b = history.stream().filter(x -> x.getSeq() == bobs).findFirst().orElseThrow();
                assertThat(a.getRecalled()).isTrue();
                assertThat(a.getContentCase()).isEqualTo(Message.ContentCase.CONTENT_NOT_SET);
                assertThat(b.getRecalled()).isTrue();
                assertThat(history.getLast().getText()).isEqualTo("bob's late");
            }
        }
    }

    @Test
    void reactionsAreCountedPerEmojiPagedByUserAndGoWithARecall() {
        try (TestNode node = TestNode.start(dir, Map.of(), clock)) {
            Recorder aliceSees = new Recorder();
            try (TernClient alice = node.user("alice", aliceSees); TernClient bob = node.user("bob", new Recorder());
                 TernClient carol = node.user("carol", new Recorder()); TernClient dave = node.user("dave", new Recorder())) {
                long group = get(alice.createGroup("g", List.of("bob", "carol"))).getConversationId();
                long seq = get(alice.sendText(group, "lunch?")).getSeq();
                long aliceFrom = alice.cursor();

                assertThat(get(bob.react(group, seq, "👍")).getPts()).isPositive();
                get(carol.react(group, seq, "🎉"));
                get(carol.react(group, seq, "👍"));
                assertThat(get(bob.react(group, seq, "👍")).getPts()).as("a repeat changes nothing").isZero();
                assertThat(get(bob.unreact(group, seq, "😂")).getPts()).as("nothing to take back").isZero();

                Message now = ConversationIT.all(alice, group).stream().filter(m -> m.getSeq() == seq).findFirst()
                        .orElseThrow();
                assertThat(now.getReactionsList()).extracting(r -> r.getEmoji() + r.getCount())
                        .containsExactly("👍2", "🎉1");
                await().atMost(Duration.ofSeconds(10)).until(() -> aliceSees.updates.stream().filter(Update::hasReacted).count() == 3);
                assertThat(aliceSees.updates.stream().filter(Update::hasReacted).toList().getLast().getReacted()
                        .getReactionsList()).extracting(r -> r.getEmoji() + r.getCount()).containsExactly("👍2", "🎉1");
                assertThat(get(alice.sync(aliceFrom, 100)).getUpdatesList()).filteredOn(Update::hasReacted).hasSize(3);

                // Who reacted: user-id order, paged; filtered by emoji.
                var first = get(alice.reactions(group, seq, "", 0, 1));
                assertThat(first.getMore()).isTrue();
                assertThat(first.getReactors(0).getUsername()).isEqualTo("bob");
                var second = get(alice.reactions(group, seq, "", first.getReactors(0).getUserId(), 1));
                assertThat(second.getReactors(0).getUsername()).isEqualTo("carol");
                assertThat(second.getReactors(0).getEmojiList()).containsExactly("🎉", "👍");
                assertThat(second.getMore()).isFalse();
                assertThat(get(alice.reactions(group, seq, "🎉", 0, 50)).getReactorsList())
                        .extracting(r -> r.getUsername()).containsExactly("carol");

                // Three different emoji per user and message at most; taking one back frees a place.
                get(bob.react(group, seq, "❤️"));
                get(bob.react(group, seq, "😂"));
                refused(bob.react(group, seq, "🔥"), ErrorCode.INVALID_ARGUMENT);
                get(bob.unreact(group, seq, "😂"));
                get(bob.react(group, seq, "🔥"));
                get(carol.unreact(group, seq, "🎉"));
                assertThat(ConversationIT.all(bob, group).stream().filter(m -> m.getSeq() == seq).findFirst().orElseThrow()
                        .getReactionsList()).extracting(r -> r.getEmoji() + r.getCount())
                        .containsExactly("👍2", "❤️1", "🔥1");

                refused(bob.react(group, 999, "👍"), ErrorCode.MESSAGE_NOT_FOUND);
                refused(bob.react(group, 1, "👍"), ErrorCode.NOT_EDITABLE);
                refused(bob.react(group, seq, ""), ErrorCode.INVALID_ARGUMENT);
                refused(dave.react(group, seq, "👍"), ErrorCode.NOT_MEMBER);
                refused(dave.reactions(group, seq, "", 0, 10), ErrorCode.NOT_MEMBER);

                // A recall takes the reactions with it.
                get(alice.recall(group, seq));
                assertThat(ConversationIT.all(bob, group).stream().filter(m -> m.getSeq() == seq).findFirst().orElseThrow()
                        .getReactionsList()).isEmpty();
                assertThat(get(bob.reactions(group, seq, "", 0, 10)).getReactorsList()).isEmpty();
                refused(carol.react(group, seq, "👍"), ErrorCode.NOT_EDITABLE);
            }
        }
    }

    @Test
    void pinsAreServiceMessagesAdminsMakeInGroupsAnyoneInDirectChatsAndTheySurviveARestart() {
        long group;
        long first;
        long second;
        try (TestNode node = TestNode.start(dir, Map.of(), clock)) {
            Recorder bobSees = new Recorder();
            try (TernClient alice = node.user("alice", new Recorder()); TernClient bob = node.user("bob", bobSees);
                 TernClient carol = node.user("carol", new Recorder())) {
                group = get(alice.createGroup("g", List.of("bob"))).getConversationId();
                get(alice.addMember(group, "carol", Role.ADMIN));
                first = get(bob.sendText(group, "first")).getSeq();
                second = get(bob.sendText(group, "second")).getSeq();

                refused(bob.pin(group, first), ErrorCode.FORBIDDEN);
                Ok pinned = get(alice.pin(group, first));
                assertThat(pinned.getPts()).isPositive();
                get(carol.pin(group, second));
                assertThat(get(alice.pin(group, second)).getPts()).as("already pinned").isZero();
                assertThat(get(bob.conversation(group)).getPinnedSeqsList()).containsExactly(second, first);
                await().atMost(Duration.ofSeconds(10)).until(() -> bobSees.updates.stream()
                        .filter(u -> u.hasMessage() && u.getMessage().hasService()
                                && u.getMessage().getService().getType() == dev.tern.protocol.v1.ServiceEvent.Type.MESSAGE_PINNED)
                        .count() == 2);

                get(alice.unpin(group, first));
                assertThat(get(alice.unpin(group, first)).getPts()).as("not pinned").isZero();
                assertThat(get(bob.conversation(group)).getPinnedSeqsList()).containsExactly(second);
                refused(alice.pin(group, 1), ErrorCode.NOT_EDITABLE);
                refused(alice.pin(group, 999), ErrorCode.MESSAGE_NOT_FOUND);

                // Deleting a pinned message for everyone unpins it.
                get(alice.recall(group, second));
                assertThat(get(bob.conversation(group)).getPinnedSeqsList()).isEmpty();
                get(alice.pin(group, first));

                // In a direct chat either side pins.
                SendAck hi = get(alice.sendTextTo("bob", "hi"));
                get(bob.pin(hi.getConversationId(), hi.getSeq()));
                assertThat(get(alice.conversation(hi.getConversationId())).getPinnedSeqsList()).containsExactly(hi.getSeq());
            }
        }
        try (TestNode node = TestNode.start(dir, Map.of(), clock); TernClient bob = node.user("bob", new Recorder())) {
            assertThat(get(bob.conversation(group)).getPinnedSeqsList()).containsExactly(first);
        }
    }

    @Test
    void deleteForMeHidesMessagesFromTheCallersHistoryAndDevicesOnly() {
        try (TestNode node = TestNode.start(dir, Map.of(), clock)) {
            Recorder otherDevice = new Recorder();
            try (TernClient alice = node.user("alice", new Recorder()); TernClient bob = node.user("bob", new Recorder());
                 TernClient alice2 = node.user("alice", otherDevice); TernClient carol = node.user("carol", new Recorder())) {
                SendAck m1 = get(alice.sendTextTo("bob", "one"));
                long chat = m1.getConversationId();
                long m2 = get(bob.sendText(chat, "two")).getSeq();
                long m3 = get(alice.sendText(chat, "three")).getSeq();
                long from = alice.cursor();

                Ok ok = get(alice.deleteForMe(chat, List.of(m3, m1.getSeq(), m3)));
                assertThat(ok.getPts()).isPositive();
                // The device's own entries are applied (at once, or by the sync an earlier late push started).
                await().atMost(Duration.ofSeconds(10)).until(() -> alice.cursor() == ok.getPts());
                assertThat(ConversationIT.all(alice, chat)).extracting(Message::getSeq).containsExactly(m2);
                assertThat(ConversationIT.all(bob, chat)).extracting(Message::getSeq).containsExactly(m1.getSeq(), m2, m3);
                await().atMost(Duration.ofSeconds(10)).until(() -> otherDevice.updates.stream().filter(Update::hasHidden).count() == 2);
                assertThat(otherDevice.updates.stream().filter(Update::hasHidden).map(u -> u.getHidden().getSeq()))
                        .containsExactly(m1.getSeq(), m3);
                assertThat(get(alice.sync(from, 100)).getUpdatesList()).filteredOn(Update::hasHidden).hasSize(2);
                assertThat(get(bob.sync(0, 100)).getUpdatesList()).noneMatch(Update::hasHidden);

                refused(alice.deleteForMe(chat, List.of()), ErrorCode.INVALID_ARGUMENT);
                refused(alice.deleteForMe(chat, java.util.stream.LongStream.rangeClosed(1, 101).boxed().toList()),
                        ErrorCode.INVALID_ARGUMENT);
                refused(alice.deleteForMe(chat, List.of(999L)), ErrorCode.MESSAGE_NOT_FOUND);
                refused(carol.deleteForMe(chat, List.of(m2)), ErrorCode.NOT_MEMBER);
            }
        }
    }

    @Test
    void mentionsFlagTheMentionedMembersEntriesOnly() {
        try (TestNode node = TestNode.start(dir, Map.of(), clock)) {
            Recorder bobSees = new Recorder();
            Recorder carolSees = new Recorder();
            try (TernClient alice = node.user("alice", new Recorder()); TernClient bob = node.user("bob", bobSees);
                 TernClient carol = node.user("carol", carolSees); TernClient dave = node.user("dave", new Recorder())) {
                long group = get(alice.createGroup("g", List.of("bob", "carol"))).getConversationId();
                long bobFrom = bob.cursor();
                SendAck ack = get(alice.sendText(group, "@Bob and @dave, ask @alice or mail carol@example.com"));
                long plain = get(alice.sendText(group, "no names here")).getSeq();

                await().atMost(Duration.ofSeconds(10)).until(() -> bobSees.messagesIn(group).size() >= 2
                        && carolSees.messagesIn(group).size() >= 2);
                Update toBob = bobSees.updates.stream().filter(u -> u.hasMessage() && u.getMessage().getSeq() == ack.getSeq())
                        .findFirst().orElseThrow();
                assertThat(toBob.getMentioned()).isTrue();
                assertThat(toBob.getMessage().getMentionIdsList()).as("dave is no member, alice is the author")
                        .containsExactly(get(bob.conversation(group)).getMembersList().stream()
                                .filter(m -> m.getUsername().equals("bob")).findFirst().orElseThrow().getUserId());
                assertThat(carolSees.updates.stream().filter(u -> u.hasMessage() && u.getMessage().getSeq() == ack.getSeq())
                        .findFirst().orElseThrow().getMentioned()).isFalse();
                assertThat(bobSees.updates.stream().filter(u -> u.hasMessage() && u.getMessage().getSeq() == plain)
                        .findFirst().orElseThrow().getMentioned()).isFalse();
                // The flag comes with sync too, and history shows who was mentioned.
                assertThat(get(bob.sync(bobFrom, 100)).getUpdatesList()).filteredOn(Update::getMentioned)
                        .extracting(u -> u.getMessage().getSeq()).containsExactly(ack.getSeq());
                assertThat(ConversationIT.all(carol, group).stream().filter(m -> m.getSeq() == ack.getSeq()).findFirst()
                        .orElseThrow().getMentionIdsCount()).isEqualTo(1);
            }
        }
    }
}
