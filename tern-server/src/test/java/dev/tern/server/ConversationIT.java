package dev.tern.server;

import dev.tern.client.TernClient;
import dev.tern.protocol.v1.HistoryResult;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.SendAck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConversationIT {
    @TempDir
    Path dir;

    @Test
    void twoUsersExchangeAThousandMessagesEachWayConcurrently() throws Exception {
        int n = 1000;
        try (TestNode node = TestNode.start(dir, TestNode.withoutLoadShedding(Map.of()))) {
            Recorder ra = new Recorder();
            Recorder rb = new Recorder();
            try (TernClient alice = node.user("alice", ra); TernClient bob = node.user("bob", rb)) {
                // The direct chat is created by the first message.
                long chat = get(alice.sendTextTo("bob", "hello")).getConversationId();
                await().atMost(Duration.ofSeconds(10)).until(() -> rb.messages().size() == 1);

                long batchesBefore = node.server.core().batches();
                long commitsBefore = node.server.core().commits();
                List<CompletableFuture<SendAck>> acks = new ArrayList<>();
                Thread a = Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < n; i++) {
                        synchronized (acks) {
                            acks.add(alice.sendText(chat, "a" + i));
                        }
                    }
                });
                Thread b = Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < n; i++) {
                        synchronized (acks) {
                            acks.add(bob.sendText(chat, "b" + i));
                        }
                    }
                });
                a.join();
                b.join();
                List<SendAck> done = new ArrayList<>();
                for (CompletableFuture<SendAck> f : acks) {
                    done.add(get(f));
                }
                // Group commit: the concurrent sends shared fsyncs (far fewer writes than sends).
                long batches = node.server.core().batches() - batchesBefore;
                long commits = node.server.core().commits() - commitsBefore;
                System.out.printf("group commit: %d sends in %d store writes%n", batches, commits);
                assertThat(batches).isGreaterThanOrEqualTo(2L * n);
                assertThat(commits).isLessThan(batches / 2);
                assertThat(done).extracting(SendAck::getSeq).doesNotHaveDuplicates();

                // A device's own entries reach its listener only if a gap made it sync them, so each
                // side counts what the other sent.
                await().atMost(Duration.ofSeconds(30)).until(() -> from(rb, "alice").size() == 1 + n);
                await().atMost(Duration.ofSeconds(30)).until(() -> from(ra, "bob").size() == n);

                // Each receiver got the other's messages once, in the order they were sent.
                List<String> bobGot = from(rb, "alice").stream().skip(1).map(Message::getText).toList();
                List<String> aliceGot = from(ra, "bob").stream().map(Message::getText).toList();
                assertThat(bobGot).hasSize(n).doesNotHaveDuplicates().allMatch(t -> t.startsWith("a"));
                assertThat(aliceGot).hasSize(n).doesNotHaveDuplicates().allMatch(t -> t.startsWith("b"));
                for (int i = 0; i < n; i++) {
                    assertThat(bobGot.get(i)).isEqualTo("a" + i);
                    assertThat(aliceGot.get(i)).isEqualTo("b" + i);
                }

                // Both sides read the same timeline from history: same messages, same seq order.
                List<Message> viewA = all(alice, chat);
                List<Message> viewB = all(bob, chat);
                assertThat(viewA).hasSize(1 + 2 * n);
                assertThat(viewA).isEqualTo(viewB);
                assertThat(viewA).extracting(Message::getSeq).isSorted().doesNotHaveDuplicates();
                // Pushed seqs agree with the timeline (a's seqs as bob saw them, increasing).
                assertThat(rb.messages()).extracting(Message::getSeq).isSorted();
                assertThat(ra.messages()).extracting(Message::getSeq).isSorted();
            }
        }
    }

    static List<Message> from(Recorder r, String sender) {
        return r.messages().stream().filter(m -> m.getSenderName().equals(sender)).toList();
    }

    /** The whole conversation oldest first, paging backwards through history. */
    static List<Message> all(TernClient c, long conversation) {
        List<Message> out = new ArrayList<>();
        long before = 0;
        while (true) {
            HistoryResult page = get(c.history(conversation, before, 200));
            out.addAll(0, page.getMessagesList().reversed());
            if (!page.getMore()) {
                return out;
            }
            before = page.getMessages(page.getMessagesCount() - 1).getSeq();
        }
    }
}
