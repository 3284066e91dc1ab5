package dev.tern.server;

import dev.tern.client.ClientOptions;
import dev.tern.client.TernClient;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.protocol.v1.Session;
import dev.tern.protocol.v1.SyncResult;
import dev.tern.protocol.v1.Update;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.tern.server.BadInputIT.parse;
import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The goodbye promises of docs/protocol.md ("Goodbye and close codes"), read off the wire by a
 * client that speaks WebSocket on a plain socket: the goodbye frame is the last data frame, the close
 * frame carries the documented code, and the server ends the TCP connection within a second.
 */
class GoodbyeIT {
    @TempDir
    Path dir;

    @Test
    void aSlowReaderThatReadsNothingGetsItsGoodbyeAndCloseCodeAndLosesNothing() throws Exception {
        try (TestNode node = TestNode.start(dir, TestNode.withoutLoadShedding(Map.of("limits.max-outbound", "64KiB")))) {
            TernClient bob = node.user("bob", new Recorder());
            TernClient setup = node.client(new Recorder());
            get(setup.register("slow", "password-slow"));
            setup.close();
            try (WireSocket slow = WireSocket.open(node.server.address().getPort(), 64 * 1024)) {
                slow.send("{\"id\":\"1\",\"login\":{\"username\":\"slow\",\"password\":\"password-slow\"}}");
                Session session = parse(slow.read().text()).getSession();
                assertThat(session.getUserId()).isPositive();

                // About 1.8 MB of pushes to a socket that is not read from here on: far more than its
                // receive buffer, the server's send buffer and limits.max-outbound together.
                String body = "y".repeat(30_000);
                int count = 60;
                List<CompletableFuture<?>> sends = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    sends.add(bob.sendTextTo("slow", i + ":" + body));
                }
                sends.forEach(TestNode::get); // every one acknowledged
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                        .until(() -> slowReaderGoodbyes(node) == 1);
                long goodbyeSeen = System.nanoTime();
                // The server closes within a second of the goodbye although the client read nothing.
                await().atMost(Duration.ofMillis(1500)).pollInterval(Duration.ofMillis(10))
                        .until(() -> !node.server.core().sessions().online(session.getUserId()));
                assertThat(Duration.ofNanos(System.nanoTime() - goodbyeSeen)).isLessThan(Duration.ofMillis(1500));

                // Only now the client reads: pushes, then the goodbye, then the close frame, then the end.
                List<WireSocket.Frame> frames = slow.readToEnd();
                assertThat(frames).hasSizeGreaterThanOrEqualTo(2);
                WireSocket.Frame close = frames.getLast();
                assertThat(close.opcode()).isEqualTo(WireSocket.CLOSE);
                assertThat(close.closeCode()).isEqualTo(4042);
                ServerFrame bye = parse(frames.get(frames.size() - 2).text());
                assertThat(bye.getGoodbye().getReason()).isEqualTo(ErrorCode.SLOW_READER);
                int pushes = frames.size() - 2;
                assertThat(pushes).as("pushes that reached the socket before the goodbye").isLessThan(count);
                for (WireSocket.Frame f : frames.subList(0, pushes)) {
                    assertThat(parse(f.text()).hasUpdate()).isTrue();
                }

                // Nothing acknowledged was lost: a new connection syncs all of them from the old cursor.
                Recorder later = new Recorder();
                TernClient again = node.client(later);
                get(again.resume(session.getTicket(), session.getPts()));
                await().atMost(Duration.ofSeconds(30)).until(() -> later.messages().size() == count);
                for (int i = 0; i < count; i++) {
                    assertThat(later.messages().get(i).getText()).startsWith(i + ":");
                }
                again.close();
            }
            bob.close();
        }
    }

    private static double slowReaderGoodbyes(TestNode node) throws Exception {
        return MetricsIT.sample(MetricsIT.fetch(node.server, "/metrics").body(),
                "tern_goodbyes_total{reason=\"SLOW_READER\"}");
    }

    @Test
    void sigtermAnswersEveryRequestSaysGoodbyeToEveryClientAndExitsZero() throws Exception {
        int port = ServerProcess.freePort();
        Map<String, String> settings = TestNode.withoutLoadShedding(Map.of());
        URI uri = URI.create("ws://127.0.0.1:" + port + "/ws");
        int count = 200;
        Map<String, ServerFrame> answers = new HashMap<>();
        try (ServerProcess server = ServerProcess.start(dir, port, settings)) {
            TernClient setup = get(TernClient.connect(ClientOptions.of(uri), new Recorder()));
            get(setup.register("alice", "password-alice"));
            get(setup.register("bob", "password-bob"));
            setup.close();
            try (WireSocket anonymous = WireSocket.open(port, 0); WireSocket alice = WireSocket.open(port, 0)) {
                alice.send("{\"id\":\"login\",\"login\":{\"username\":\"alice\",\"password\":\"password-alice\"}}");
                assertThat(parse(alice.read().text()).hasSession()).isTrue();
                List<String> sends = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    sends.add("{\"id\":\"s" + i + "\",\"send\":{\"peer\":\"bob\",\"clientMsgId\":\"m" + i
                            + "\",\"contentType\":\"text/plain\",\"text\":\"message " + i + "\"}}");
                }
                alice.sendAll(sends); // pipelined: all on the wire before the stop
                assertThat(server.stop()).as("exit code of a clean stop by SIGTERM").isZero();

                List<WireSocket.Frame> frames = alice.readToEnd();
                assertThat(frames.getLast().closeCode()).isEqualTo(4044);
                assertThat(parse(frames.get(frames.size() - 2).text()).getGoodbye().getReason())
                        .isEqualTo(ErrorCode.SHUTTING_DOWN);
                for (WireSocket.Frame f : frames.subList(0, frames.size() - 2)) {
                    ServerFrame sf = parse(f.text());
                    if (!sf.getId().isEmpty()) {
                        assertThat(answers.put(sf.getId(), sf)).as("a second answer to %s", sf.getId()).isNull();
                    }
                }
                // An anonymous connection is told too.
                List<WireSocket.Frame> seen = anonymous.readToEnd();
                assertThat(seen).hasSize(2);
                assertThat(parse(seen.get(0).text()).getGoodbye().getReason()).isEqualTo(ErrorCode.SHUTTING_DOWN);
                assertThat(seen.get(1).closeCode()).isEqualTo(4044);
            }
        }
        Set<String> acked = new HashSet<>();
        for (int i = 0; i < count; i++) {
            ServerFrame a = answers.get("s" + i);
            assertThat(a).as("the answer to send %d", i).isNotNull();
            if (a.hasSendAck()) {
                acked.add(a.getSendAck().getClientMsgId());
            } else {
                assertThat(a.getError().getCode()).as("send %d", i).isEqualTo(ErrorCode.SHUTTING_DOWN);
            }
        }

        // After a restart the log holds exactly the acknowledged sends: an ack means stored, an error
        // SHUTTING_DOWN means not stored.
        try (ServerProcess again = ServerProcess.start(dir, port, settings)) {
            TernClient bob = get(TernClient.connect(ClientOptions.of(uri), new Recorder()));
            get(bob.login("bob", "password-bob", "test"));
            Set<String> stored = new HashSet<>();
            long after = 0;
            SyncResult page;
            do {
                page = get(bob.sync(after, 1000));
                for (Update u : page.getUpdatesList()) {
                    if (u.hasMessage() && !u.getMessage().hasService()) {
                        stored.add(u.getMessage().getClientMsgId());
                    }
                }
                after = page.getPts();
            } while (page.getMore());
            assertThat(stored).isEqualTo(acked);
            bob.close();
        }
    }
}
