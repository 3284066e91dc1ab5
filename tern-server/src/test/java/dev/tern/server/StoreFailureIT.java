package dev.tern.server;

import dev.tern.client.ClientOptions;
import dev.tern.client.TernClient;
import dev.tern.client.TernException;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.SendAck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Failed store writes: nothing is acknowledged, clients retry, state recovers when writes work again. */
class StoreFailureIT {
    @TempDir
    Path dir;

    @Test
    void failedWritesAreRefusedRetryableAndNothingIsLostOrRepeatedAfterwards() throws Exception {
        FaultyStore[] faulty = new FaultyStore[1];
        TernServer server = TernServer.start(ServerConfig.load(null, Map.of(), TestNode.settings(dir)),
                InstantSource.system(), s -> faulty[0] = new FaultyStore(s));
        URI uri = URI.create("ws://127.0.0.1:" + server.address().getPort() + "/ws");
        try (TernClient a = TernClient.connect(ClientOptions.of(uri).withReconnect(false), null).get(10, TimeUnit.SECONDS);
             TernClient b = TernClient.connect(ClientOptions.of(uri), new Recorder()).get(10, TimeUnit.SECONDS)) {
            get(a.register("alice", "password-alice"));
            get(b.register("bob", "password-bob"));
            get(a.login("alice", "password-alice", ""));
            get(b.login("bob", "password-bob", ""));
            SendAck first = get(a.sendTextTo("bob", "before the fault"));
            long chat = first.getConversationId();

            faulty[0].failWrites.set(true);
            // A group made while the disk is failing does not come into being.
            assertThatThrownBy(() -> get(b.createGroup("doomed", List.of("alice"))))
                    .isInstanceOfSatisfying(TernException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
                        assertThat(e.retryable()).isTrue();
                    });
            // Sends are retried by the SDK under the same ids until the store works again.
            List<CompletableFuture<SendAck>> during = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                during.add(a.sendText(chat, "during " + i));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> faulty[0].failedWrites.get() >= 5);
            assertThat(during).noneMatch(CompletableFuture::isDone);
            faulty[0].failWrites.set(false);

            List<SendAck> acks = new ArrayList<>();
            for (CompletableFuture<SendAck> f : during) {
                acks.add(f.get(30, TimeUnit.SECONDS));
            }
            // Every ack names a distinct seq above the ones before the fault. (Their order may differ
            // from the send order: sends in flight behind a refused one can commit first; see Outbox.)
            assertThat(acks).extracting(SendAck::getSeq).doesNotHaveDuplicates()
                    .allMatch(seq -> seq > first.getSeq());
            List<Message> stored = ConversationIT.all(b, chat);
            assertThat(stored).extracting(Message::getText).containsExactlyInAnyOrderElementsOf(
                    concat("before the fault", 20));
            assertThat(stored.getFirst().getText()).isEqualTo("before the fault");
            for (int i = 0; i < acks.size(); i++) {
                long seq = acks.get(i).getSeq();
                assertThat(stored).filteredOn(m -> m.getSeq() == seq).extracting(Message::getText)
                        .containsExactly("during " + i);
            }
            assertThat(get(b.sync(0, 500)).getUpdatesList()).noneMatch(u -> u.getMessage().hasService());
        } finally {
            server.close();
        }
    }

    @Test
    void aRequestThatFailsHalfwayThroughPreparationNeverLetsIdsRepeatAfterARestart() throws Exception {
        FaultyStore[] faulty = new FaultyStore[1];
        ServerConfig config = ServerConfig.load(null, Map.of(), TestNode.settings(dir));
        long highest;
        TernServer server = TernServer.start(config, InstantSource.system(), s -> faulty[0] = new FaultyStore(s));
        try {
            URI uri = URI.create("ws://127.0.0.1:" + server.address().getPort() + "/ws");
            try (TernClient a = TernClient.connect(ClientOptions.of(uri), null).get(10, TimeUnit.SECONDS);
                 TernClient b = TernClient.connect(ClientOptions.of(uri), null).get(10, TimeUnit.SECONDS)) {
                get(b.register("bob", "password-bob"));
                get(a.register("alice", "password-alice"));
                get(a.login("alice", "password-alice", ""));
                get(a.createGroup("first", List.of("bob")));
                // The group id is issued, then reading the new group's sequencer fails.
                faulty[0].failBoundReads.set(true);
                assertThatThrownBy(() -> get(a.createGroup("broken", List.of("bob"))))
                        .isInstanceOf(TernException.class);
                faulty[0].failBoundReads.set(false);
                List<Long> made = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    String title = "after " + i;
                    made.add(retry(() -> get(a.createGroup(title, List.of("bob"))).getConversationId()));
                }
                highest = made.stream().mapToLong(Long::longValue).max().orElseThrow();
            }
        } finally {
            server.close();
        }
        try (TestNode node = TestNode.start(dir)) {
            TernClient a = node.user("alice", new Recorder());
            long next = get(a.createGroup("after restart", List.of("bob"))).getConversationId();
            assertThat(next).isGreaterThan(highest);
            assertThat(get(a.conversation(highest)).getTitle()).isEqualTo("after 2");
            a.close();
        }
    }

    /** Group creation carries no client id, so the SDK does not retry it; the test does, for STORAGE_UNAVAILABLE. */
    private static long retry(java.util.function.LongSupplier call) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                return call.getAsLong();
            } catch (TernException e) {
                if (!e.retryable() || attempt > 20) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private static List<String> concat(String head, int n) {
        List<String> out = new ArrayList<>(List.of(head));
        for (int i = 0; i < n; i++) {
            out.add("during " + i);
        }
        return out;
    }
}
