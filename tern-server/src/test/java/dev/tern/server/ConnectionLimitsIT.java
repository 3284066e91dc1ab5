package dev.tern.server;

import dev.tern.client.ClientOptions;
import dev.tern.client.TernClient;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.protocol.v1.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.tern.server.BadInputIT.parse;
import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConnectionLimitsIT {
    @TempDir
    Path dir;

    @Test
    void aSlowReaderIsDisconnectedAndGetsEverythingBySyncLater() throws Exception {
        try (TestNode node = TestNode.start(dir, TestNode.withoutLoadShedding(Map.of("limits.max-outbound", "64KiB")))) {
            TernClient bob = node.user("bob", new Recorder());
            TernClient setup = node.client(new Recorder());
            get(setup.register("slow", "password-slow"));
            setup.close();
            try (RawSocket slow = RawSocket.stalled(node.uri())) {
                slow.send("{\"id\":\"1\",\"login\":{\"username\":\"slow\",\"password\":\"password-slow\"}}");
                Session session = parse(slow.next()).getSession();
                assertThat(node.server.core().sessions().online(session.getUserId())).isTrue();

                // ~24 MB of pushes to a socket that reads nothing: more than any socket buffer.
                String body = "y".repeat(60_000);
                List<CompletableFuture<?>> sends = new ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    sends.add(bob.sendTextTo("slow", i + ":" + body));
                }
                sends.forEach(TestNode::get);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> !node.server.core().sessions().online(session.getUserId()));
                assertThat(MetricsIT.sample(MetricsIT.fetch(node.server, "/metrics").body(),
                        "tern_goodbyes_total{reason=\"SLOW_READER\"}")).isEqualTo(1);

                // Nothing was lost: a new connection syncs all 400 from the old cursor.
                Recorder later = new Recorder();
                TernClient again = node.client(later);
                get(again.resume(session.getTicket(), session.getPts()));
                await().atMost(Duration.ofSeconds(30)).until(() -> later.messages().size() == 400);
                List<Message> got = later.messages();
                for (int i = 0; i < 400; i++) {
                    assertThat(got.get(i).getText()).startsWith(i + ":");
                }
                again.close();
            }
            bob.close();
        }
    }

    @Test
    void idleConnectionsAreClosedWhileHeartbeatingClientsStay() throws Exception {
        try (TestNode node = TestNode.start(dir, Map.of("timeouts.idle", "1s"))) {
            ClientOptions pinging = new ClientOptions(node.uri(), true, Duration.ofSeconds(5), false, Duration.ofMillis(250));
            Recorder r = new Recorder();
            TernClient alive = TernClient.connect(pinging, r).get(10, TimeUnit.SECONDS);
            get(alive.register("alive", "password-alive"));
            get(alive.login("alive", "password-alive", ""));
            try (RawSocket silent = RawSocket.json(node.uri())) {
                ServerFrame bye = parse(silent.next());
                assertThat(bye.getGoodbye().getReason()).isEqualTo(ErrorCode.IDLE_TIMEOUT);
                assertThat(silent.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(4000 + ErrorCode.IDLE_TIMEOUT_VALUE);
            }
            Thread.sleep(2500);
            assertThat(r.goodbyes).isEmpty();
            assertThat(get(alive.sync(0, 1)).getMore()).isFalse();
            alive.close();
        }
    }
}
