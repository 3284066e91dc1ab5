package dev.tern.server;

import dev.tern.client.TernClient;
import dev.tern.protocol.v1.ChannelRef;
import dev.tern.protocol.v1.ConversationInfo;
import dev.tern.protocol.v1.ConversationKind;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.HistoryResult;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.Presence;
import dev.tern.protocol.v1.SyncResult;
import dev.tern.protocol.v1.Update;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.tern.server.MessageOpsIT.refused;
import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Channels over real sockets: public and private, who may post, fan-out on read, news in sync. */
class ChannelIT {
    @TempDir
    Path dir;

    static List<Message> postsPushed(Recorder r, long channel) {
        return r.updates.stream().filter(u -> u.getPts() == 0 && u.hasMessage()
                && u.getMessage().getConversationId() == channel).map(Update::getMessage).toList();
    }

    @Test
    void publicChannelsAreJoinedByNameAndOnlyAdminsPost() {
        try (TestNode node = TestNode.start(dir)) {
            Recorder bobSees = new Recorder();
            try (TernClient alice = node.user("alice", new Recorder()); TernClient bob = node.user("bob", bobSees);
                 TernClient carol = node.user("carol", new Recorder())) {
                long channel = get(alice.createChannel("Tern News", "what is new", "Tern_News")).getConversationId();
                refused(bob.createChannel("Copy", "", "tern_news"), ErrorCode.NAME_TAKEN);
                refused(bob.createChannel("Bad", "", "x!"), ErrorCode.INVALID_ARGUMENT);
                refused(bob.createChannel(" ", "", ""), ErrorCode.INVALID_ARGUMENT);

                List<ChannelRef> found = get(bob.searchChannels("tern", 10)).getChannelsList();
                assertThat(found).extracting(ChannelRef::getPublicName).containsExactly("tern_news");
                assertThat(found.getFirst().getTitle()).isEqualTo("Tern News");
                refused(bob.searchChannels("t", 10), ErrorCode.INVALID_ARGUMENT);

                // Joining by name (any case); twice is ALREADY_MEMBER, an unknown name CHANNEL_NOT_FOUND.
                assertThat(get(bob.joinChannel("TERN_NEWS")).getPts()).isPositive();
                refused(bob.joinChannel("tern_news"), ErrorCode.ALREADY_MEMBER);
                refused(bob.joinChannel("no_such_channel"), ErrorCode.CHANNEL_NOT_FOUND);
                get(carol.joinChannel("tern_news"));

                // Subscribers read, they do not post, type or list the other subscribers.
                refused(bob.sendText(channel, "me too"), ErrorCode.FORBIDDEN);
                refused(bob.typing(channel, false), ErrorCode.INVALID_ARGUMENT);
                refused(bob.members(channel, 0, 10), ErrorCode.FORBIDDEN);
                assertThat(get(alice.members(channel, 0, 10)).getMembersCount()).isEqualTo(3);
                ConversationInfo info = get(bob.conversation(channel));
                assertThat(info.getKind()).isEqualTo(ConversationKind.CHANNEL);
                assertThat(info.getBroadcast()).isTrue();
                assertThat(info.getMemberCount()).isEqualTo(3);
                assertThat(info.getMembersList()).isEmpty();
                assertThat(info.getPublicName()).isEqualTo("tern_news");

                // A post: the online subscriber gets a push outside the log; his log does not move.
                long bobPts = bob.cursor();
                long seq = get(alice.sendText(channel, "first post")).getSeq();
                await().atMost(Duration.ofSeconds(10)).until(() -> postsPushed(bobSees, channel).size() == 1);
                assertThat(postsPushed(bobSees, channel).getFirst().getText()).isEqualTo("first post");
                assertThat(postsPushed(bobSees, channel).getFirst().getConversationKind())
                        .isEqualTo(ConversationKind.CHANNEL);
                assertThat(bob.cursor()).isEqualTo(bobPts);
                HistoryResult history = get(bob.history(channel, 0, 10));
                assertThat(history.getMessagesList()).extracting(Message::getText).contains("first post");

                // An edit reaches online subscribers the same way.
                get(alice.editText(channel, seq, "first post (edited)"));
                await().atMost(Duration.ofSeconds(10)).until(() -> bobSees.updates.stream()
                        .anyMatch(u -> u.getPts() == 0 && u.hasEdited()
                                && u.getEdited().getText().equals("first post (edited)")));

                // Subscribers find the channel's posts by search; someone outside does not.
                try (TernClient dan = node.user("dan", new Recorder())) {
                    await().atMost(Duration.ofSeconds(15)).until(() -> get(bob.searchMessages("edited"))
                            .getMessagesList().stream().anyMatch(m -> m.getConversationId() == channel));
                    assertThat(get(dan.searchMessages("edited")).getMessagesList()).isEmpty();
                }

                // Reactions: subscribers see counts, only admins see who.
                get(carol.react(channel, seq, "👍"));
                refused(bob.reactions(channel, seq, "", 0, 50), ErrorCode.FORBIDDEN);
                assertThat(get(alice.reactions(channel, seq, "", 0, 50)).getReactorsCount()).isEqualTo(1);

                // Sharing a channel shows no presence: subscribers are strangers to each other.
                Presence p = get(bob.presence(List.of("carol"), false)).getPresences(0);
                assertThat(p.getOnline()).isFalse();
                assertThat(p.getLastSeenMs()).isZero();

                // Bans keep a subscriber out of a public channel too.
                get(alice.ban(channel, "carol"));
                refused(carol.joinChannel("tern_news"), ErrorCode.BANNED);
                refused(carol.history(channel, 0, 10), ErrorCode.NOT_MEMBER);

                // The owner leaves only when an admin can take over.
                refused(alice.leave(channel), ErrorCode.FORBIDDEN);
                get(alice.setRole(channel, "bob", dev.tern.protocol.v1.Role.ADMIN));
                get(alice.leave(channel));
                assertThat(get(bob.members(channel, 0, 10)).getMembersList()).singleElement()
                        .satisfies(m -> assertThat(m.getRole()).isEqualTo(dev.tern.protocol.v1.Role.OWNER));

                // Leaving: the channel is gone from the dialogs of every device.
                get(bob.leave(channel));
                refused(bob.history(channel, 0, 10), ErrorCode.NOT_MEMBER);
                assertThat(get(bob.dialogs(dev.tern.protocol.v1.GetDialogs.getDefaultInstance())).getDialogsList())
                        .noneMatch(d -> d.getConversationId() == channel);
            }
        }
    }

    @Test
    void privateChannelsAreJoinedByInviteAndOfflineSubscribersGetNewsInSync() {
        try (TestNode node = TestNode.start(dir)) {
            try (TernClient alice = node.user("alice", new Recorder())) {
                long channel = get(alice.createChannel("Insiders", "", "")).getConversationId();
                String token = get(alice.createInvite(channel)).getToken();
                Recorder daveSees = new Recorder();
                long davePts;
                try (TernClient dave = node.user("dave", daveSees)) {
                    get(dave.joinByInvite(token));
                    refused(dave.joinChannel("insiders"), ErrorCode.CHANNEL_NOT_FOUND); // private: no name
                    davePts = dave.cursor();
                }
                get(alice.revokeInvite(channel, token));
                try (TernClient erin = node.user("erin", new Recorder())) {
                    refused(erin.joinByInvite(token), ErrorCode.INVITE_INVALID);
                }

                // Three posts while dave is offline, one mentioning him.
                get(alice.sendText(channel, "one"));
                get(alice.sendText(channel, "two @dave"));
                long last = get(alice.sendText(channel, "three")).getSeq();

                try (TernClient dave = node.user("dave", new Recorder())) {
                    SyncResult sync = get(dave.sync(davePts, 100));
                    assertThat(sync.getUpdatesList()).noneMatch(u -> u.hasMessage()); // not in his log
                    assertThat(sync.getNewsList()).hasSize(1);
                    assertThat(sync.getNews(0).getConversationId()).isEqualTo(channel);
                    assertThat(sync.getNews(0).getLastSeq()).isEqualTo(last);
                    assertThat(sync.getNews(0).getUnreadCount()).isEqualTo(3);
                    assertThat(sync.getNews(0).getUnreadMentions()).isEqualTo(1);
                    assertThat(get(dave.history(channel, 0, 10)).getMessagesList()).extracting(Message::getText)
                            .startsWith("three", "two @dave", "one");

                    // The marker's own log entry (its pts is in the answer) is where dave's log now ends.
                    davePts = get(dave.markRead(channel, last)).getPts();
                    assertThat(get(dave.sync(davePts, 100)).getNewsList()).isEmpty();
                }

                // Changes to posts dave already has reach him through the change log, not his log.
                get(alice.editText(channel, last, "three (fixed)"));
                get(alice.recall(channel, last - 1));
                try (TernClient dave = node.user("dave", new Recorder())) {
                    dev.tern.protocol.v1.Dialog d = DialogsIT.dialog(dave, channel);
                    assertThat(d.getBroadcast()).isTrue();
                    assertThat(d.getLastChange()).isPositive();
                    dev.tern.protocol.v1.ChangesResult changes = get(dave.changes(channel, 0, 100));
                    assertThat(changes.getLastChange()).isEqualTo(d.getLastChange());
                    assertThat(changes.getUpdatesList()).anySatisfy(u -> {
                        assertThat(u.getEdited().getText()).isEqualTo("three (fixed)");
                        assertThat(u.getPts()).isZero();
                    });
                    assertThat(changes.getUpdatesList()).anySatisfy(u -> assertThat(u.getRecalled().getSeq())
                            .isEqualTo(last - 1));
                    assertThat(get(dave.changes(channel, changes.getLastChange(), 100)).getUpdatesList()).isEmpty();
                    assertThat(get(dave.sync(davePts, 100)).getUpdatesList()).isEmpty();
                }
            }
        }
    }
}
