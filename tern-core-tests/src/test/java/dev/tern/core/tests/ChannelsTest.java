package dev.tern.core.tests;

import dev.tern.core.Principal;
import dev.tern.protocol.v1.ChangesResult;
import dev.tern.protocol.v1.ChannelRef;
import dev.tern.protocol.v1.ConversationNews;
import dev.tern.protocol.v1.CreateChannel;
import dev.tern.protocol.v1.EditMessage;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Update;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.tern.core.tests.CoreFixture.await;
import static dev.tern.core.tests.Refusals.codeOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Broadcast conversations are fanned out on read: a post writes the message and the poster's entry
 * only, however many members there are; members learn of it by push (pts 0), sync's news and history.
 */
class ChannelsTest extends CoreTestBase {
    /** Groups of more than 3 members are broadcast. */
    @Override
    CoreFixture fixture() {
        return CoreFixture.start(c -> new dev.tern.core.CoreConfig(c.maxGroupMembers(), c.maxBodyBytes(),
                c.ticketTtl(), c.sequenceStep(), c.maxBatchMutations(), c.argon2MemoryKiB(), c.argon2Iterations(),
                c.typingInterval(), c.editWindow(), c.recallWindow(), 3, c.maxChannelMembers(), c.dedupWindow()));
    }

    private final Principal owner = fx.user("owner");

    private long channel(String name, int subscribers) {
        long id = await(fx.channels.create(owner, CreateChannel.newBuilder().setTitle(name).setPublicName(name)
                .build())).getConversationId();
        for (int i = 0; i < subscribers; i++) {
            await(fx.channels.join(fx.user(name + "_s" + i), name));
        }
        return id;
    }

    /** Mutations one post writes. */
    private long costOfAPost(long conversationId) {
        long before = fx.store.mutationsWritten();
        fx.send(owner, conversationId, "post");
        return fx.store.mutationsWritten() - before;
    }

    @Test
    void aPostWritesTheSameWhateverTheNumberOfSubscribers() {
        long small = channel("small_one", 1);
        long large = channel("large_one", 8);
        costOfAPost(small); // first posts raise sequencer bounds; compare steady posts
        costOfAPost(large);
        assertThat(costOfAPost(large)).isEqualTo(costOfAPost(small));
        Principal subscriber = fx.login("large_one_s3");
        assertThat(fx.store.updatesAfter(subscriber.userId(), 0, 100)).hasSize(1); // only the DIALOG of joining
    }

    @Test
    void onlineSubscribersGetThePostPushedOutsideTheirLog() {
        long ch = channel("pushes", 2);
        Principal sub = fx.login("pushes_s1");
        long seq = fx.send(owner, ch, "news").getSeq();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fx.fanout.updates(sub.userId())
                .stream().anyMatch(u -> u.getMessage().getSeq() == seq));
        Update u = fx.fanout.updates(sub.userId()).stream().filter(x -> x.getMessage().getSeq() == seq).findFirst()
                .orElseThrow();
        assertThat(u.getPts()).isZero();
        assertThat(u.getMessage().getText()).isEqualTo("news");
    }

    @Test
    void subscribersReadButDoNotPostOrListTheOthers() {
        long ch = channel("readers", 1);
        Principal sub = fx.login("readers_s0");
        long seq = fx.send(owner, ch, "hello").getSeq();
        assertThat(codeOf(() -> fx.messaging.send(sub, CoreFixture.text(ch, "me too").build())))
                .isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(codeOf(() -> fx.groups.members(sub, ch, 0, 10))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(fx.history(sub, ch).getMessages(0).getSeq()).isEqualTo(seq);
    }

    @Test
    void joiningByNameFindsPublicChannelsOnly() {
        long ch = channel("findme", 0);
        Principal reader = fx.user("reader");
        assertThat(codeOf(() -> fx.channels.join(reader, "nothere"))).isEqualTo(ErrorCode.CHANNEL_NOT_FOUND);
        await(fx.channels.join(reader, "FindMe"));
        assertThat(codeOf(() -> fx.channels.join(reader, "findme"))).isEqualTo(ErrorCode.ALREADY_MEMBER);
        assertThat(fx.channels.search(reader, "fin", 10).getChannelsList())
                .extracting(ChannelRef::getConversationId, ChannelRef::getMemberCount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ch, 2));
        assertThat(codeOf(() -> fx.channels.create(reader, CreateChannel.newBuilder().setTitle("t")
                .setPublicName("FINDME").build()))).isEqualTo(ErrorCode.NAME_TAKEN);
        assertThat(codeOf(() -> fx.channels.create(reader, CreateChannel.newBuilder().setTitle("t")
                .setPublicName("1bad").build()))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void aNewSubscribersPastIsNotUnreadButLaterPostsAreNews() {
        long ch = channel("backlog", 0);
        fx.send(owner, ch, "old 1");
        fx.send(owner, ch, "old 2");
        Principal late = fx.user("late");
        await(fx.channels.join(late, "backlog"));
        assertThat(fx.catchup.sync(late, 0, 100).getNewsList()).isEmpty();
        long seq = fx.send(owner, ch, "fresh").getSeq();
        List<ConversationNews> news = fx.catchup.sync(late, 0, 100).getNewsList();
        assertThat(news).hasSize(1);
        assertThat(news.getFirst().getConversationId()).isEqualTo(ch);
        assertThat(news.getFirst().getUnreadCount()).isEqualTo(1);
        assertThat(news.getFirst().getLastSeq()).isEqualTo(seq);
    }

    @Test
    void editsOfPostsGoToTheChannelsChangeLog() {
        long ch = channel("changes", 1);
        Principal sub = fx.login("changes_s0");
        long seq = fx.send(owner, ch, "typo").getSeq();
        await(fx.edits.edit(owner, EditMessage.newBuilder().setConversationId(ch).setSeq(seq).setText("fixed").build()));
        await(fx.edits.recall(owner, ch, seq));
        ChangesResult changes = fx.catchup.changes(sub, ch, 0, 10);
        assertThat(changes.getUpdatesList()).extracting(u -> u.getChange()).containsExactly(1L, 2L);
        assertThat(changes.getUpdates(0).getEdited().getSeq()).isEqualTo(seq);
        assertThat(changes.getUpdates(1).getRecalled().getRecalled()).isTrue();
        assertThat(changes.getLastChange()).isEqualTo(2);
        assertThat(fx.catchup.changes(sub, ch, 2, 10).getUpdatesList()).isEmpty();
    }

    @Test
    void aGroupAboveTheThresholdIsFannedOutOnReadToo() {
        List<Principal> members = new ArrayList<>();
        for (String n : List.of("m_one", "m_two", "m_three")) {
            members.add(fx.user(n));
        }
        long g = fx.group(owner, members.toArray(Principal[]::new)); // 4 members > threshold 3
        long before = fx.store.lastPts(members.getFirst().userId());
        long seq = fx.send(owner, g, "wide").getSeq();
        assertThat(fx.store.lastPts(members.getFirst().userId())).isEqualTo(before);
        assertThat(fx.groups.info(owner, g).getBroadcast()).isTrue();
        assertThat(fx.catchup.sync(members.getFirst(), 0, 100).getNewsList())
                .extracting(ConversationNews::getLastSeq).containsExactly(seq);
    }
}
