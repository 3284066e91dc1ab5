package dev.tern.core.tests;

import dev.tern.core.ErrorCode;
import dev.tern.core.Principal;
import dev.tern.core.group.NewChannel;
import dev.tern.core.message.Edit;
import dev.tern.core.view.ChangesPage;
import dev.tern.core.view.Change;
import dev.tern.core.view.ChannelView;
import dev.tern.core.view.News;
import dev.tern.core.view.Update;
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
        long id = await(fx.channels.create(owner, new NewChannel(name, "", name, ""))).conversationId();
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
        long seq = fx.send(owner, ch, "news").seq();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fx.fanout.updates(sub.userId())
                .stream().anyMatch(u -> Views.posts(u, seq)));
        Update u = fx.fanout.updates(sub.userId()).stream().filter(x -> Views.posts(x, seq)).findFirst()
                .orElseThrow();
        assertThat(u.pts()).isZero();
        assertThat(Views.text(Views.posted(u))).isEqualTo("news");
    }

    @Test
    void subscribersReadButDoNotPostOrListTheOthers() {
        long ch = channel("readers", 1);
        Principal sub = fx.login("readers_s0");
        long seq = fx.send(owner, ch, "hello").seq();
        assertThat(codeOf(() -> fx.messaging.send(sub, CoreFixture.text(ch, "me too").build())))
                .isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(codeOf(() -> fx.groups.members(sub, ch, 0, 10))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(fx.history(sub, ch).messages().getFirst().seq()).isEqualTo(seq);
    }

    @Test
    void joiningByNameFindsPublicChannelsOnly() {
        long ch = channel("findme", 0);
        Principal reader = fx.user("reader");
        assertThat(codeOf(() -> fx.channels.join(reader, "nothere"))).isEqualTo(ErrorCode.CHANNEL_NOT_FOUND);
        await(fx.channels.join(reader, "FindMe"));
        assertThat(codeOf(() -> fx.channels.join(reader, "findme"))).isEqualTo(ErrorCode.ALREADY_MEMBER);
        assertThat(fx.channels.search(reader, "fin", 10))
                .extracting(ChannelView::conversationId, ChannelView::memberCount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ch, 2));
        assertThat(codeOf(() -> fx.channels.create(reader, new NewChannel("t", "", "FINDME", ""))))
                .isEqualTo(ErrorCode.NAME_TAKEN);
        assertThat(codeOf(() -> fx.channels.create(reader, new NewChannel("t", "", "1bad", ""))))
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void aNewSubscribersPastIsNotUnreadButLaterPostsAreNews() {
        long ch = channel("backlog", 0);
        fx.send(owner, ch, "old 1");
        fx.send(owner, ch, "old 2");
        Principal late = fx.user("late");
        await(fx.channels.join(late, "backlog"));
        assertThat(fx.catchup.sync(late, 0, 100).news()).isEmpty();
        long seq = fx.send(owner, ch, "fresh").seq();
        List<News> news = fx.catchup.sync(late, 0, 100).news();
        assertThat(news).hasSize(1);
        assertThat(news.getFirst().conversationId()).isEqualTo(ch);
        assertThat(news.getFirst().unreadCount()).isEqualTo(1);
        assertThat(news.getFirst().lastSeq()).isEqualTo(seq);
    }

    @Test
    void editsOfPostsGoToTheChannelsChangeLog() {
        long ch = channel("changes", 1);
        Principal sub = fx.login("changes_s0");
        long seq = fx.send(owner, ch, "typo").seq();
        await(fx.edits.edit(owner, new Edit(ch, seq, "", "fixed", null)));
        await(fx.edits.recall(owner, ch, seq));
        ChangesPage changes = fx.catchup.changes(sub, ch, 0, 10);
        assertThat(changes.updates()).extracting(Update::changeNo).containsExactly(1L, 2L);
        assertThat(Views.change(changes.updates().get(0), Change.Edited.class).message().seq()).isEqualTo(seq);
        assertThat(Views.change(changes.updates().get(1), Change.Recalled.class).message().record().extras()
                .recalled()).isTrue();
        assertThat(changes.lastChange()).isEqualTo(2);
        assertThat(fx.catchup.changes(sub, ch, 2, 10).updates()).isEmpty();
    }

    @Test
    void aGroupAboveTheThresholdIsFannedOutOnReadToo() {
        List<Principal> members = new ArrayList<>();
        for (String n : List.of("m_one", "m_two", "m_three")) {
            members.add(fx.user(n));
        }
        long g = fx.group(owner, members.toArray(Principal[]::new)); // 4 members > threshold 3
        long before = fx.store.lastPts(members.getFirst().userId());
        long seq = fx.send(owner, g, "wide").seq();
        assertThat(fx.store.lastPts(members.getFirst().userId())).isEqualTo(before);
        assertThat(fx.groups.info(owner, g).broadcast()).isTrue();
        assertThat(fx.catchup.sync(members.getFirst(), 0, 100).news())
                .extracting(News::lastSeq).containsExactly(seq);
    }
}
