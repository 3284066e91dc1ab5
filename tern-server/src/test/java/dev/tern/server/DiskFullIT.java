package dev.tern.server;

import dev.tern.client.TernClient;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.SendAck;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.store.testkit.Tmpfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The store on a small filesystem that fills up (a real 32 MiB tmpfs; skipped where it cannot be
 * mounted): sends are refused with the retryable STORAGE_UNAVAILABLE, nothing acknowledged is lost, the
 * server keeps answering sync, history and resume, and once space returns the same server process takes
 * writes again and the SDK's retries go through.
 */
class DiskFullIT {
    /** RocksDB resumes writes once its largest write buffer fits on the disk again: keep it small. */
    private static final Map<String, String> SMALL_STORE = Map.of("store.write-buffer", "1MiB", "store.block-cache", "8MiB");

    @TempDir
    Path dir;

    @Test
    void aFullDiskRefusesSendsRetryablyKeepsServingReadsAndTakesWritesAgainWhenSpaceReturns() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), 32)) {
            Path data = disk.path().resolve("data");
            Ledger ledger = new Ledger();
            Map<Long, Set<String>> members;
            TestNode node = TestNode.start(data, SMALL_STORE);
            Recorder bobSees = new Recorder();
            try (TernClient alice = node.user("alice", new Recorder());
                 TernClient bob = node.user("bob", bobSees, false);
                 RawSocket carol = RawSocket.json(node.uri())) {
                long chat = get(ledger.sendTo(alice, "alice", "bob")).getConversationId();
                members = Map.of(chat, Set.of("alice", "bob"));
                Map<String, TernClient> views = Map.of("alice", alice, "bob", bob);
                List<CompletableFuture<SendAck>> before = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    before.add(ledger.send(alice, "alice", chat, 0));
                }
                before.forEach(TestNode::get);
                node.user("carol", null).close();
                call(carol, "{\"id\":\"h\",\"hello\":{\"protocolVersion\":1}}");
                assertThat(call(carol, "{\"id\":\"l\",\"login\":{\"username\":\"carol\",\"password\":\"password-carol\"}}")
                        .hasSession()).isTrue();

                long ballast = disk.fill();
                // Large bodies use up the space RocksDB had set aside; the SDK retries them under their ids.
                List<CompletableFuture<SendAck>> during = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    during.add(ledger.send(alice, "alice", chat, 48 << 10));
                }
                // Soon a send is refused, clearly and retryably.
                AtomicInteger attempt = new AtomicInteger();
                AtomicReference<ServerFrame> refused = new AtomicReference<>();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    refused.set(rawSend(carol, attempt.incrementAndGet()));
                    return refused.get().hasError();
                });
                assertThat(refused.get().getError().getCode()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
                assertThat(refused.get().getError().getRetryable()).isTrue();
                assertThat(refused.get().getError().getMessage()).contains("nothing was acknowledged");
                assertThat(during).anyMatch(f -> !f.isDone());
                assertThat(disk.free()).isLessThan(1 << 20);
                // Out of rotation while the store refuses writes: alive, not ready.
                assertThat(MetricsIT.fetch(node.server, "/readyz").statusCode()).isEqualTo(503);
                assertThat(MetricsIT.fetch(node.server, "/healthz").statusCode()).isEqualTo(200);

                // Reads go on: sync and history agree with every ack so far, from both sides.
                ledger.verify(views, members, false);
                // A dropped connection resumes and syncs while the disk is full.
                int sessions = bobSees.sessions.size();
                bob.dropConnection();
                await().atMost(Duration.ofSeconds(30)).until(() -> bobSees.sessions.size() >= sessions + 2);
                assertThat(bobSees.sessions.subList(sessions, sessions + 2)).containsExactly(false, true);
                assertThat(get(bob.sync(0, 500)).getUpdatesCount()).isPositive();
                assertThat(during).anyMatch(f -> !f.isDone());

                disk.dropBallast();
                long freed = System.nanoTime();
                // The same process takes writes again: the pending sends go through, and new ones.
                ledger.awaitAllAcked(Duration.ofSeconds(60));
                long resumedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - freed);
                get(ledger.send(alice, "alice", chat, 0));
                assertThat(rawSend(carol, attempt.incrementAndGet()).hasSendAck()).isTrue();
                assertThat(MetricsIT.fetch(node.server, "/readyz").statusCode()).isEqualTo(200);
                System.out.printf("disk full: %d MiB ballast, %d of %d sends acknowledged, the last pending ones %d ms"
                        + " after the space returned%n", ballast >> 20, ledger.acked(), ledger.sent(), resumedMs);
                // Order across the refusals is not checked: sends in flight behind a refused one may be
                // stored before its retry (see Outbox).
                ledger.verify(views, members, false);
            } finally {
                node.close();
            }
            // Nothing acknowledged is lost across a restart either.
            try (TestNode again = TestNode.start(data, SMALL_STORE);
                 TernClient alice = again.user("alice", new Recorder());
                 TernClient bob = again.user("bob", new Recorder())) {
                ledger.verify(Map.of("alice", alice, "bob", bob), members, false);
            }
        }
    }

    /** A send to bob from carol's raw JSON connection (not in the ledger: a chat of its own). */
    private static ServerFrame rawSend(RawSocket carol, int n) throws Exception {
        return call(carol, "{\"id\":\"s" + n + "\",\"send\":{\"peer\":\"bob\",\"clientMsgId\":\"raw-" + n
                + "\",\"contentType\":\"text/plain\",\"text\":\"raw " + n + "\"}}");
    }

    private static ServerFrame call(RawSocket socket, String json) throws Exception {
        socket.send(json);
        return BadInputIT.parse(socket.next());
    }
}
