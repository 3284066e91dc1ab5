package dev.tern.server;

import dev.tern.client.TernClient;
import dev.tern.protocol.v1.Dialog;
import dev.tern.protocol.v1.GetDialogs;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.SyncResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A channel of 10,000 subscribers, a few hundred of them online: a post costs the same number of
 * store writes as a post to a channel of one (read from the server's tern_store_mutations_total),
 * every online subscriber gets every post, in order, and an offline subscriber finds the posts and
 * the right unread count after a sync.
 */
class ChannelScaleIT {
    static final int SUBSCRIBERS = 10_000;
    static final int ONLINE = 300;
    static final int POSTS = 20;
    static final int WORKERS = 8;

    @TempDir
    Path dir;

    static double mutations(TestNode node) throws Exception {
        return MetricsIT.sample(MetricsIT.fetch(node.server, "/metrics").body(), "tern_store_mutations_total");
    }

    @Test
    void aPostToTenThousandSubscribersCostsWhatAPostToOneCosts() throws Exception {
        try (TestNode node = TestNode.start(dir); TernClient alice = node.user("alice", new Recorder())) {
            long big = get(alice.createChannel("Big", "", "big_channel")).getConversationId();
            long small = get(alice.createChannel("Small", "", "")).getConversationId();
            subscribe(node, "big_channel");

            List<Recorder> seen = new ArrayList<>();
            List<TernClient> online = new ArrayList<>();
            try {
                for (int i = 0; i < ONLINE; i++) {
                    Recorder r = new Recorder();
                    online.add(node.user("sub" + i, r));
                    seen.add(r);
                }
                TernClient late = node.user("sub" + (SUBSCRIBERS - 1), new Recorder());
                long latePts = late.cursor();
                late.close();
                assertThat(get(alice.conversation(big)).getMemberCount()).isEqualTo(SUBSCRIBERS + 1);

                double before = mutations(node);
                for (int i = 0; i < POSTS; i++) {
                    get(alice.sendText(small, "small " + i));
                }
                double toOne = mutations(node) - before;
                before = mutations(node);
                for (int i = 0; i < POSTS; i++) {
                    get(alice.sendText(big, "post " + i));
                }
                double toMany = mutations(node) - before;
                System.out.printf("store mutations for %d posts: channel of 1 subscriber %.0f, of %d subscribers %.0f%n",
                        POSTS, toOne, SUBSCRIBERS + 1, toMany);
                // A message, the author's log entry, the dedup record and the search backlog entry per
                // post, plus an occasional sequencer bound: the same whatever the number of subscribers.
                assertThat(toOne).isBetween(4.0 * POSTS, 4.0 * POSTS + 4);
                assertThat(toMany).isBetween(4.0 * POSTS, toOne + 2);

                List<String> expected = new ArrayList<>();
                for (int i = 0; i < POSTS; i++) {
                    expected.add("post " + i);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream()
                        .allMatch(r -> ChannelIT.postsPushed(r, big).size() >= POSTS));
                for (Recorder r : seen) {
                    assertThat(ChannelIT.postsPushed(r, big)).extracting(Message::getText).isEqualTo(expected);
                }

                try (TernClient back = node.user("sub" + (SUBSCRIBERS - 1), new Recorder())) {
                    SyncResult sync = get(back.sync(latePts, 100));
                    assertThat(sync.getNewsList()).hasSize(1);
                    assertThat(sync.getNews(0).getConversationId()).isEqualTo(big);
                    assertThat(sync.getNews(0).getUnreadCount()).isEqualTo(POSTS);
                    Dialog d = get(back.dialogs(GetDialogs.getDefaultInstance())).getDialogsList().stream()
                            .filter(x -> x.getConversationId() == big).findFirst().orElseThrow();
                    assertThat(d.getUnreadCount()).isEqualTo(POSTS);
                    assertThat(d.getTopMessage().getText()).isEqualTo("post " + (POSTS - 1));
                    assertThat(get(back.history(big, 0, POSTS)).getMessagesList()).extracting(Message::getText)
                            .containsExactlyElementsOf(expected.reversed());
                }
            } finally {
                online.forEach(TernClient::close);
            }
        }
    }

    /** Registers SUBSCRIBERS users s0.. and subscribes each, over a few connections that log in and out. */
    private static void subscribe(TestNode node, String channel) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                done.add(pool.submit(() -> {
                    try (TernClient c = node.client(new Recorder())) {
                        for (int i = worker; i < SUBSCRIBERS; i += WORKERS) {
                            String name = "sub" + i;
                            get(c.register(name, "password-" + name));
                            get(c.login(name, "password-" + name, "test"));
                            get(c.joinChannel(channel));
                            get(c.logout());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
