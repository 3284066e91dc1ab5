package dev.tern.server;

import dev.tern.client.ClientOptions;
import dev.tern.client.TernClient;
import dev.tern.client.TernException;
import dev.tern.core.admission.Priority;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.SendAck;
import dev.tern.protocol.v1.ServerFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Overload protection through the front door: a slow disk makes work queue up; typing is refused
 * first, then sends, while sync is still served; refusals are immediate, carry a retry hint, and the
 * SDK's retries under the same ids lose and repeat nothing once the disk recovers.
 */
class OverloadIT {
    @TempDir
    Path dir;
    FaultyStore store;
    TernServer server;
    URI uri;

    @BeforeEach
    void start() throws Exception {
        Map<String, String> o = new HashMap<>(TestNode.settings(dir));
        o.putAll(Map.of("overload.low-backlog", "50ms", "overload.normal-backlog", "200ms",
                "overload.high-backlog", "10s", "overload.request-deadline", "150ms"));
        FaultyStore[] s = new FaultyStore[1];
        server = TernServer.start(ServerConfig.load(null, Map.of(), o), InstantSource.system(),
                real -> s[0] = new FaultyStore(real));
        store = s[0];
        uri = URI.create("ws://127.0.0.1:" + server.address().getPort() + "/ws");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    TernClient user(String name, Recorder r) {
        TernClient c = get(TernClient.connect(ClientOptions.of(uri), r));
        get(c.register(name, "password-" + name));
        get(c.login(name, "password-" + name, ""));
        return c;
    }

    @Test
    void lowPriorityIsRefusedFirstSendsNextSyncStaysAndRetriedSendsArriveOnceInOrder() throws Exception {
        Recorder bobSees = new Recorder();
        try (TernClient alice = user("alice", new Recorder()); TernClient bob = user("bob", bobSees)) {
            long chat = get(alice.sendTextTo("bob", "m0")).getConversationId();

            store.writeDelayMs = 700; // every group commit now takes 0.7 s: work piles up behind it
            List<CompletableFuture<SendAck>> sends = new ArrayList<>();
            sends.add(alice.sendText(chat, "m1"));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> server.core().admission().backlogNanos() > 300_000_000L);

            long t0 = System.nanoTime();
            assertThatThrownBy(() -> get(bob.typing(chat, false)))
                    .isInstanceOfSatisfying(TernException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED);
                        assertThat(e.retryable()).isTrue();
                        assertThat(e.retryAfterMs()).isGreaterThanOrEqualTo(50);
                    });
            // Refused at once, not after waiting out the backlog.
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(300));
            // A high-priority sync is still answered (it reads; it queues nothing).
            assertThat(get(bob.sync(0, 100)).getUpdatesCount()).isPositive();

            // Sends made now are refused as OVERLOADED; the SDK keeps retrying them with their ids.
            for (int i = 2; i <= 20; i++) {
                sends.add(alice.sendText(chat, "m" + i));
            }
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> server.core().admission().refused(Priority.NORMAL) > 0);
            assertThat(server.core().admission().refused(Priority.LOW)).isPositive();

            store.writeDelayMs = 0; // the disk recovers
            for (CompletableFuture<SendAck> f : sends) {
                assertThat(f.get(30, TimeUnit.SECONDS).getSeq()).isPositive();
            }
            // Exactly once each, in the order sent, in the log and on the receiving device.
            List<String> expected = new ArrayList<>();
            for (int i = 0; i <= 20; i++) {
                expected.add("m" + i);
            }
            assertThat(ConversationIT.all(bob, chat)).extracting(Message::getText).containsExactlyElementsOf(expected);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(bobSees.messagesIn(chat)).extracting(Message::getText).containsExactlyElementsOf(expected));
            // And once the backlog is gone, low-priority work is served again.
            await().atMost(Duration.ofSeconds(5)).until(() -> server.core().admission().backlogNanos() == 0);
            assertThat(get(bob.typing(chat, false))).isNotNull();
        }
    }

    @Test
    void aRequestThatWaitedPastItsDeadlineBehindAnEarlierOneIsRefusedNotStarted() throws Exception {
        try (TernClient alice = user("alice", new Recorder()); TernClient carol = user("carol", new Recorder())) {
            String ticket = get(TernClient.connect(ClientOptions.of(uri), null)
                    .thenCompose(c -> c.login("alice", "password-alice", "second"))).getTicket();
            store.writeDelayMs = 600;
            // Two sends make two slow commits; a resume's pts must be durable, so it waits behind them.
            CompletableFuture<SendAck> slow = alice.sendTextTo("carol", "x");
            CompletableFuture<SendAck> slower = alice.sendTextTo("carol", "y");
            try (RawSocket s = RawSocket.json(uri)) {
                // The resume waits for the slow commit (its pts must be durable); the hello behind it
                // waits in the connection's mailbox past the 150 ms deadline.
                s.send("{\"id\":\"r\",\"resume\":{\"ticket\":\"" + ticket + "\"}}");
                s.send("{\"id\":\"h\",\"hello\":{\"protocolVersion\":1}}");
                Map<String, ServerFrame> byId = new HashMap<>();
                for (int i = 0; i < 2; i++) {
                    ServerFrame f = BadInputIT.parse(s.next());
                    byId.put(f.getId(), f);
                }
                assertThat(byId.get("r").hasSession()).as("resume answered").isTrue();
                assertThat(byId.get("h").getError().getCode()).isEqualTo(ErrorCode.OVERLOADED);
                assertThat(byId.get("h").getError().getRetryable()).isTrue();
                assertThat(byId.get("h").getError().getMessage()).contains("deadline");
                assertThat(server.core().admission().expired()).isPositive();
            }
            store.writeDelayMs = 0;
            slow.get(10, TimeUnit.SECONDS);
            slower.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientThatKeepsSendingAfterOverloadedIsNotReadForTheHintAndLosesNothing() throws Exception {
        try (TernClient alice = user("alice", new Recorder()); TernClient bob = user("bob", new Recorder())) {
            long chat = get(alice.sendTextTo("bob", "first")).getConversationId();
            String ticket = get(TernClient.connect(ClientOptions.of(uri), null)
                    .thenCompose(c -> c.login("alice", "password-alice", "flooder"))).getTicket();
            store.writeDelayMs = 700;
            CompletableFuture<SendAck> slow = alice.sendText(chat, "slow");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> server.core().admission().backlogNanos() > 300_000_000L);
            int n = 4 * 256;
            try (RawSocket s = RawSocket.json(uri)) {
                s.send("{\"id\":\"r\",\"resume\":{\"ticket\":\"" + ticket + "\"}}");
                assertThat(BadInputIT.parse(s.next()).hasSession()).isTrue(); // answered once "slow" is durable
                store.writeDelayMs = 3000;
                CompletableFuture<SendAck> slower = alice.sendText(chat, "slower");
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> server.core().admission().backlogNanos() > 300_000_000L);
                // Pipelined without waiting for answers, hints ignored: far more than one hint's worth. In
                // waves a little apart, so the arrivals outrun completions (none, with the disk stalled)
                // for longer than one burst: one burst alone is what a stalled closed loop looks like.
                for (int i = 0; i < n; i++) {
                    if (i > 0 && i % 128 == 0) {
                        Thread.sleep(120);
                    }
                    s.send("{\"id\":\"s" + i + "\",\"send\":{\"conversationId\":\"" + chat
                            + "\",\"clientMsgId\":\"f" + i + "\",\"contentType\":\"text/plain\",\"text\":\"f" + i + "\"}}");
                }
                // Other connections are still served meanwhile.
                assertThat(get(bob.sync(0, 100)).getUpdatesCount()).isPositive();
                store.writeDelayMs = 0;
                // Every frame is answered once: held back by TCP while the connection was not read, not dropped.
                List<String> accepted = new ArrayList<>();
                Map<String, ServerFrame> answers = new HashMap<>();
                while (answers.size() < n) {
                    ServerFrame f = BadInputIT.parse(s.next());
                    if (f.getId().isEmpty()) {
                        continue; // a push to this device of alice's (bob's delivery receipts), not an answer
                    }
                    assertThat(answers.put(f.getId(), f)).as("one answer per request").isNull();
                    if (f.hasSendAck()) {
                        accepted.add(f.getSendAck().getClientMsgId());
                    } else {
                        assertThat(f.getError().getCode()).isEqualTo(ErrorCode.OVERLOADED);
                    }
                }
                assertThat(answers).hasSize(n);
                assertThat(answers.values()).anyMatch(ServerFrame::hasError);
                double pauses = MetricsIT.sample(MetricsIT.fetch(server, "/metrics").body(), "tern_read_pauses_total");
                assertThat(pauses).isGreaterThanOrEqualTo(1);
                // What was acknowledged is in the log exactly once, in the order sent.
                slow.get(10, TimeUnit.SECONDS);
                slower.get(10, TimeUnit.SECONDS);
                List<String> logged = ConversationIT.all(bob, chat).stream().map(Message::getText)
                        .filter(t -> t.matches("f\\d+")).toList();
                assertThat(logged).containsExactlyElementsOf(accepted.stream().sorted(
                        (a, b) -> Integer.compare(Integer.parseInt(a.substring(1)), Integer.parseInt(b.substring(1)))).toList());
            }
        }
    }
}
