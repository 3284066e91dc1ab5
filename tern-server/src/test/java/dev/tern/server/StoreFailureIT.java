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
            assertThat(acks).extracting(SendAck::getSeq).isSorted().doesNotHaveDuplicates()
                    .allMatch(seq -> seq > first.getSeq());
            List<Message> stored = ConversationIT.all(b, chat);
            assertThat(stored).extracting(Message::getText).containsExactlyElementsOf(
                    concat("before the fault", 20));
            assertThat(get(b.sync(0, 500)).getUpdatesList()).noneMatch(u -> u.getMessage().hasService());
        } finally {
            server.close();
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
