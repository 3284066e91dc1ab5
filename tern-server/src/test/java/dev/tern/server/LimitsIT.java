package dev.tern.server;

import dev.tern.client.TernClient;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.SendAck;
import dev.tern.protocol.v1.ServerFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.tern.server.BadInputIT.parse;
import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every rate and connection limit over real sockets: the request past the limit gets the limit's own
 * code, retryable with a retry_after_ms hint, and changed nothing; requests within it and other keys
 * (another device, user or address) are unaffected; the SDK rides through refusals by itself.
 */
class LimitsIT {
    @TempDir
    Path dir;

    private TestNode start(Map<String, String> limits) {
        Map<String, String> all = new HashMap<>(TestNode.NO_LIMITS);
        all.putAll(limits);
        return TestNode.start(dir, all);
    }

    /** Logs a raw JSON socket in as {@code name} (registered by the SDK beforehand). */
    private static RawSocket loggedIn(TestNode node, String name, String device) throws Exception {
        RawSocket s = RawSocket.json(node.uri());
        s.send("{\"id\":\"login\",\"login\":{\"username\":\"" + name + "\",\"password\":\"password-" + name
                + "\",\"deviceName\":\"" + device + "\"}}");
        assertThat(parse(s.next()).hasSession()).isTrue();
        return s;
    }

    /** Sends a text to {@code peer}; returns the response (pushes arriving meanwhile are skipped). */
    private static ServerFrame send(RawSocket s, String id, String peer) throws Exception {
        s.send("{\"id\":\"" + id + "\",\"send\":{\"peer\":\"" + peer + "\",\"clientMsgId\":\"" + id
                + "\",\"contentType\":\"text/plain\",\"text\":\"hi " + id + "\"}}");
        while (true) {
            ServerFrame f = parse(s.next());
            if (f.getId().equals(id)) {
                return f;
            }
        }
    }

    private static void assertRefused(ServerFrame f, ErrorCode code) {
        assertThat(f.getError().getCode()).as(f.toString()).isEqualTo(code);
        assertThat(f.getError().getRetryable()).isTrue();
        assertThat(f.getError().getRetryAfterMs()).isPositive();
    }

    @Test
    void sendsPerDeviceAreLimitedAndAnotherDeviceIsNot() throws Exception {
        try (TestNode node = start(Map.of("limits.send-rate-device", "3/1m"))) {
            Recorder bobsView = new Recorder();
            TernClient bob = node.user("bob", bobsView);
            node.user("alice", new Recorder()).close();
            try (RawSocket phone = loggedIn(node, "alice", "phone"); RawSocket laptop = loggedIn(node, "alice", "laptop")) {
                for (int i = 0; i < 3; i++) {
                    assertThat(send(phone, "p" + i, "bob").hasSendAck()).isTrue();
                }
                ServerFrame refused = send(phone, "p3", "bob");
                assertRefused(refused, ErrorCode.SEND_RATE_DEVICE);
                // One permit comes back every 20 s: the hint says so.
                assertThat(refused.getError().getRetryAfterMs()).isBetween(1_000, 20_001);
                assertThat(send(laptop, "l0", "bob").hasSendAck()).isTrue();
            }
            // The refused send was not stored: bob has exactly the four accepted ones.
            await().atMost(Duration.ofSeconds(10)).until(() -> bobsView.messages().size() == 4);
            Thread.sleep(300); // a fifth message, if one had been stored, would be pushed meanwhile
            assertThat(bobsView.messages()).extracting(Message::getText).containsExactly("hi p0", "hi p1", "hi p2", "hi l0");
            bob.close();
        }
    }

    @Test
    void sendsPerUserCountEveryDevice() throws Exception {
        try (TestNode node = start(Map.of("limits.send-rate-user", "4/1m"))) {
            node.user("bob", new Recorder()).close();
            node.user("alice", new Recorder()).close();
            node.user("carol", new Recorder()).close();
            try (RawSocket phone = loggedIn(node, "alice", "phone"); RawSocket laptop = loggedIn(node, "alice", "laptop");
                 RawSocket carol = loggedIn(node, "carol", "phone")) {
                assertThat(send(phone, "p0", "bob").hasSendAck()).isTrue();
                assertThat(send(laptop, "l0", "bob").hasSendAck()).isTrue();
                assertThat(send(phone, "p1", "bob").hasSendAck()).isTrue();
                assertThat(send(laptop, "l1", "bob").hasSendAck()).isTrue();
                assertRefused(send(phone, "p2", "bob"), ErrorCode.SEND_RATE_USER);
                assertRefused(send(laptop, "l2", "bob"), ErrorCode.SEND_RATE_USER);
                assertThat(send(carol, "c0", "bob").hasSendAck()).isTrue(); // another user's allowance
            }
        }
    }

    @Test
    void theSdkWaitsOutSendRefusalsAndLosesOrRepeatsNothing() throws Exception {
        try (TestNode node = start(Map.of("limits.send-rate-device", "5/1s"))) {
            Recorder bobsView = new Recorder();
            TernClient bob = node.user("bob", bobsView);
            TernClient alice = node.user("alice", new Recorder());
            long t0 = System.nanoTime();
            List<CompletableFuture<SendAck>> acks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                acks.add(alice.sendTextTo("bob", "m" + i));
            }
            List<Long> seqs = new ArrayList<>();
            for (CompletableFuture<SendAck> a : acks) {
                seqs.add(a.get(60, TimeUnit.SECONDS).getSeq());
            }
            // 5 at once, then one per 200 ms: at least 3 s for the other 15.
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(2_900));
            assertThat(seqs).doesNotHaveDuplicates();
            await().atMost(Duration.ofSeconds(20)).until(() -> bobsView.messages().size() == 20);
            List<String> texts = bobsView.messages().stream().map(Message::getText).toList();
            assertThat(texts).doesNotHaveDuplicates().hasSize(20);
            assertThat(texts).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.IntStream.range(0, 20).mapToObj(i -> "m" + i).toList());
            bob.close();
            alice.close();
        }
    }

    @Test
    void failedLoginsPerUsernameLockTheNameWhetherItExistsOrNot() throws Exception {
        try (TestNode node = start(Map.of("limits.login-failures-per-username", "3/15m"))) {
            node.user("alice", new Recorder()).close();
            node.user("bob", new Recorder()).close();
            try (RawSocket s = RawSocket.json(node.uri())) {
                for (String name : List.of("alice", "nobody_here")) {
                    for (int i = 0; i < 3; i++) {
                        s.send(login("x" + i, name, "wrong-password"));
                        assertThat(parse(s.next()).getError().getCode()).isEqualTo(ErrorCode.BAD_CREDENTIALS);
                    }
                    // Now even the right password is refused until the allowance refills (one per 5 min).
                    s.send(login("y", name, "password-" + name));
                    ServerFrame refused = parse(s.next());
                    assertRefused(refused, ErrorCode.LOGIN_RATE_USERNAME);
                    assertThat(refused.getError().getRetryAfterMs()).isGreaterThan(60_000);
                }
                s.send(login("b", "bob", "password-bob"));
                assertThat(parse(s.next()).hasSession()).isTrue(); // other names are not affected
            }
        }
    }

    @Test
    void concurrentGuessesCannotAllPassTheUsernameCheck() throws Exception {
        try (TestNode node = start(Map.of("limits.login-failures-per-username", "3/15m"))) {
            node.user("alice", new Recorder()).close();
            List<RawSocket> sockets = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                sockets.add(RawSocket.json(node.uri()));
            }
            for (int i = 0; i < sockets.size(); i++) {
                sockets.get(i).send(login("g" + i, "alice", "guess-number-" + i));
            }
            int guessed = 0;
            int refused = 0;
            for (RawSocket s : sockets) {
                ErrorCode code = parse(s.next()).getError().getCode();
                if (code == ErrorCode.BAD_CREDENTIALS) {
                    guessed++;
                } else if (code == ErrorCode.LOGIN_RATE_USERNAME) {
                    refused++;
                }
                s.close();
            }
            // Each guess takes a permit before its password is checked: at most 3 are ever checked.
            assertThat(guessed).isLessThanOrEqualTo(3);
            assertThat(guessed + refused).isEqualTo(12);
        }
    }

    @Test
    void loginAttemptsPerAddressCountSuccessesToo() throws Exception {
        try (TestNode node = start(Map.of("limits.login-attempts-per-address", "4/1m"))) {
            node.user("alice", new Recorder()).close(); // one attempt
            for (int i = 0; i < 3; i++) {
                try (RawSocket s = RawSocket.json(node.uri())) {
                    s.send(login("ok" + i, "alice", "password-alice"));
                    assertThat(parse(s.next()).hasSession()).isTrue();
                }
            }
            try (RawSocket s = RawSocket.json(node.uri())) {
                s.send(login("over", "alice", "password-alice"));
                assertRefused(parse(s.next()), ErrorCode.LOGIN_RATE_ADDRESS);
            }
        }
    }

    @Test
    void registrationsPerAddressCountOnlyValidRequests() throws Exception {
        try (TestNode node = start(Map.of("limits.registrations-per-address", "2/1h"))) {
            try (RawSocket s = RawSocket.json(node.uri())) {
                s.send(register("bad", "x"));  // invalid username: refused for that, uses no allowance
                assertThat(parse(s.next()).getError().getCode()).isEqualTo(ErrorCode.USERNAME_INVALID);
                s.send(register("r1", "user_one"));
                assertThat(parse(s.next()).hasRegistered()).isTrue();
                s.send(register("r2", "user_two"));
                assertThat(parse(s.next()).hasRegistered()).isTrue();
                s.send(register("r3", "user_three"));
                assertRefused(parse(s.next()), ErrorCode.REGISTER_RATE_ADDRESS);
                // Nothing was created for the refused one.
                s.send(login("l", "user_three", "password-123"));
                assertThat(parse(s.next()).getError().getCode()).isEqualTo(ErrorCode.BAD_CREDENTIALS);
            }
        }
    }

    @Test
    void groupsPerUserAreLimited() throws Exception {
        try (TestNode node = start(Map.of("limits.groups-per-user", "2/1h"))) {
            node.user("bob", new Recorder()).close();
            try (RawSocket s = loggedIn(node, "bob", "phone")) {
                for (int i = 0; i < 2; i++) {
                    s.send("{\"id\":\"g" + i + "\",\"createGroup\":{\"title\":\"g" + i + "\"}}");
                    assertThat(parse(s.next()).hasOk()).isTrue();
                }
                s.send("{\"id\":\"g2\",\"createGroup\":{\"title\":\"g2\"}}");
                assertRefused(parse(s.next()), ErrorCode.GROUP_CREATE_RATE);
            }
        }
    }

    @Test
    void connectionsPerAddressAreCappedWithAGoodbye() throws Exception {
        try (TestNode node = start(Map.of("limits.connections-per-address", "3"))) {
            List<RawSocket> open = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                open.add(RawSocket.json(node.uri()));
            }
            try (RawSocket fourth = RawSocket.json(node.uri())) {
                ServerFrame bye = parse(fourth.next());
                assertThat(bye.getGoodbye().getReason()).isEqualTo(ErrorCode.CONNECTIONS_PER_ADDRESS);
                assertThat(fourth.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(4000 + ErrorCode.CONNECTIONS_PER_ADDRESS.getNumber());
            }
            // The three keep working; once one closes, a new connection is accepted.
            open.getFirst().send("{\"id\":\"1\",\"ping\":{}}");
            assertThat(parse(open.getFirst().next()).hasPong()).isTrue();
            open.removeFirst().close();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                try (RawSocket again = RawSocket.json(node.uri())) {
                    again.send("{\"id\":\"2\",\"ping\":{}}");
                    assertThat(parse(again.next()).hasPong()).isTrue();
                }
            });
            open.forEach(RawSocket::close);
        }
    }

    private static String login(String id, String name, String password) {
        return "{\"id\":\"" + id + "\",\"login\":{\"username\":\"" + name + "\",\"password\":\"" + password + "\"}}";
    }

    private static String register(String id, String name) {
        return "{\"id\":\"" + id + "\",\"register\":{\"username\":\"" + name + "\",\"password\":\"password-123\"}}";
    }
}
