package dev.tern.server;

import dev.tern.client.ClientOptions;
import dev.tern.client.TernClient;
import dev.tern.protocol.v1.Update;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Crash drill: several SDK clients (binary and JSON) send concurrently in direct chats and a group while
 * the server process is killed with SIGKILL at a random moment and restarted on the same data, again and
 * again. The clients reconnect, resume and retry unacknowledged sends under their ids by themselves.
 * Afterwards every view agrees with what was acknowledged (see {@link Ledger#verify}) and every client
 * received, once and in order, what others sent it.
 *
 * <p>Cycles: {@code -Dtern.drill.cycles} (3 by default; {@code scripts/crash-drills.sh 20} runs 20).
 */
class CrashDrillIT {
    private static final int CYCLES = Integer.getInteger("tern.drill.cycles", 3);
    private static final int CLIENTS = 5;
    /** Sends in flight per client. */
    private static final int WINDOW = 16;
    /** Acks to wait for after a restart before the next kill, so each kill lands in running load. */
    private static final int ACKS_PER_CYCLE = 300;
    /** The drill is about crashes: no OVERLOADED refusals, which would reorder pipelined sends. */
    private static final Map<String, String> SETTINGS = TestNode.withoutLoadShedding(Map.of());

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedMessageSurvivesRepeatedKillMinus9UnderLoadExactlyOnceAndInOrder() throws Exception {
        long started = System.nanoTime();
        int port = ServerProcess.freePort();
        URI uri = URI.create("ws://127.0.0.1:" + port + "/ws");
        ServerProcess server = ServerProcess.start(dir, port, SETTINGS);
        Ledger ledger = new Ledger();
        Map<String, TernClient> clients = new LinkedHashMap<>();
        Map<String, Recorder> recorders = new LinkedHashMap<>();
        Map<String, Long> loginPts = new LinkedHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> senders = new ArrayList<>();
        List<String> kills = new ArrayList<>();
        try {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                String name = "user" + i;
                names.add(name);
                Recorder r = new Recorder();
                // Even clients speak binary protobuf, odd ones JSON.
                TernClient c = TernClient.connect(ClientOptions.of(uri).withBinary(i % 2 == 0), r).get(30, TimeUnit.SECONDS);
                get(c.register(name, "password-" + name));
                loginPts.put(name, get(c.login(name, "password-" + name, "drill")).getPts());
                clients.put(name, c);
                recorders.put(name, r);
            }
            // Direct chats between neighbours in a ring, and one group of everyone.
            Map<Long, Set<String>> members = new LinkedHashMap<>();
            long[] ring = new long[CLIENTS]; // ring[i]: the chat of u_i and u_(i+1)
            for (int i = 0; i < CLIENTS; i++) {
                String peer = names.get((i + 1) % CLIENTS);
                ring[i] = get(ledger.sendTo(clients.get(names.get(i)), names.get(i), peer)).getConversationId();
                members.put(ring[i], Set.of(names.get(i), peer));
            }
            long group = get(clients.get(names.getFirst()).createGroup("drill", names.subList(1, CLIENTS))).getConversationId();
            members.put(group, Set.copyOf(names));

            for (int i = 0; i < CLIENTS; i++) {
                String name = names.get(i);
                long[] targets = {ring[i], ring[(i + CLIENTS - 1) % CLIENTS], group};
                senders.add(Thread.ofVirtual().name("sender-" + name).start(
                        () -> sendUntil(stop, ledger, clients.get(name), name, targets)));
            }

            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                long ackedBefore = ledger.acked();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                        .until(() -> ledger.acked() >= ackedBefore + ACKS_PER_CYCLE);
                Thread.sleep(ThreadLocalRandom.current().nextLong(1_000));
                long ackedAtKill = ledger.acked();
                long sentAtKill = ledger.sent();
                server.kill9();
                long down = System.nanoTime();
                server = ServerProcess.start(dir, port, SETTINGS);
                kills.add(String.format("cycle %d: killed with %d acked of %d sent, restarted in %d ms", cycle,
                        ackedAtKill, sentAtKill, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - down)));
            }
            // Load goes on until every client is back and acknowledged sends after the last restart.
            long ackedAfterLast = ledger.acked();
            await().atMost(Duration.ofSeconds(60)).until(() -> ledger.acked() >= ackedAfterLast + ACKS_PER_CYCLE);
            stop.set(true);
            for (Thread t : senders) {
                t.join(Duration.ofSeconds(30));
            }
            ledger.awaitAllAcked(Duration.ofSeconds(120));

            Map<String, List<Update>> logs = ledger.verify(clients, members, true);
            for (String name : names) {
                Ledger.verifyLive(name, recorders.get(name), logs.get(name), loginPts.get(name));
            }
            assertThat(kills).hasSize(CYCLES);
            kills.forEach(System.out::println);
            System.out.printf("crash drill: %d cycles, %d messages acknowledged (all %d sent; %d acks answered a"
                            + " retry of a stored send), %d clients, %.1f s%n", CYCLES, ledger.acked(), ledger.sent(),
                    ledger.duplicates(), CLIENTS, (System.nanoTime() - started) / 1e9);
        } finally {
            stop.set(true);
            clients.values().forEach(TernClient::close);
            server.close();
        }
    }

    /** One sender: up to WINDOW sends in flight, each to a random one of its conversations. */
    private static void sendUntil(AtomicBoolean stop, Ledger ledger, TernClient client, String name, long[] targets) {
        Semaphore window = new Semaphore(WINDOW);
        try {
            while (!stop.get()) {
                if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                long target = targets[ThreadLocalRandom.current().nextInt(targets.length)];
                ledger.send(client, name, target, 0).whenComplete((ack, e) -> window.release());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
