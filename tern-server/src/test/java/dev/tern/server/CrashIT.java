package dev.tern.server;

import dev.tern.client.ClientOptions;
import dev.tern.client.TernClient;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.SendAck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of the server while a client sends 10,000 messages as fast as acks return. The SDK
 * keeps retrying unacknowledged sends under their ids through the crash; afterwards every message
 * is stored exactly once, in the order it was sent, and every ack given before the crash holds.
 */
class CrashIT {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedMessageSurvivesKillMinus9ExactlyOnceAndInOrder() throws Exception {
        int total = 10_000;
        int port = ServerProcess.freePort();
        URI uri = URI.create("ws://127.0.0.1:" + port + "/ws");
        ServerProcess server = ServerProcess.start(dir, port, TestNode.withoutLoadShedding(Map.of()));
        Map<Integer, SendAck> ackedBeforeCrash = new ConcurrentHashMap<>();
        try (TernClient bob = TernClient.connect(ClientOptions.of(uri), null).get(30, TimeUnit.SECONDS);
             TernClient alice = TernClient.connect(ClientOptions.of(uri), null).get(30, TimeUnit.SECONDS)) {
            get(bob.register("bob", "password-bob"));
            get(alice.register("alice", "password-alice"));
            get(alice.login("alice", "password-alice", "crash-test"));
            long chat = get(alice.sendTextTo("bob", "start")).getConversationId();

            int killAt = ThreadLocalRandom.current().nextInt(1_000, 8_000);
            Semaphore window = new Semaphore(64);
            List<CompletableFuture<SendAck>> futures = new ArrayList<>();
            boolean killed = false;
            for (int i = 0; i < total; i++) {
                window.acquire();
                int n = i;
                CompletableFuture<SendAck> f = alice.sendText(chat, "m" + i);
                f.whenComplete((ack, e) -> {
                    window.release();
                    if (ack != null && !ackedBeforeCrash.containsKey(-1)) {
                        ackedBeforeCrash.put(n, ack);
                    }
                });
                futures.add(f);
                if (!killed && ackedBeforeCrash.size() >= killAt) {
                    server.kill9();
                    ackedBeforeCrash.put(-1, SendAck.getDefaultInstance()); // marks: acks after this came later
                    killed = true;
                    server = ServerProcess.start(dir, port, TestNode.withoutLoadShedding(Map.of()));
                }
            }
            assertThat(killed).isTrue();
            List<SendAck> acks = new ArrayList<>();
            for (CompletableFuture<SendAck> f : futures) {
                acks.add(f.get(120, TimeUnit.SECONDS));
            }

            // Read back through a fresh session on the restarted server.
            TernClient reader = TernClient.connect(ClientOptions.of(uri), null).get(30, TimeUnit.SECONDS);
            get(reader.login("bob", "password-bob", "reader"));
            List<Message> stored = ConversationIT.all(reader, chat);
            List<String> texts = stored.stream().map(Message::getText).toList();
            List<String> expected = new ArrayList<>();
            expected.add("start");
            for (int i = 0; i < total; i++) {
                expected.add("m" + i);
            }
            assertThat(texts).containsExactlyElementsOf(expected); // each once, in send order
            assertThat(stored).extracting(Message::getSeq).isSorted().doesNotHaveDuplicates();
            // Every ack given before the crash names the message that is stored at that seq.
            for (Map.Entry<Integer, SendAck> e : ackedBeforeCrash.entrySet()) {
                if (e.getKey() < 0) {
                    continue;
                }
                Message m = stored.stream().filter(x -> x.getSeq() == e.getValue().getSeq()).findFirst().orElseThrow();
                assertThat(m.getText()).isEqualTo("m" + e.getKey());
            }
            for (int i = 0; i < total; i++) {
                assertThat(stored.get(i + 1).getSeq()).isEqualTo(acks.get(i).getSeq());
            }
            reader.close();
        } finally {
            server.close();
        }
    }
}
