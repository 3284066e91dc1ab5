package dev.tern.client;

import dev.tern.protocol.v1.ClientFrame.BodyCase;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Goodbye;
import dev.tern.protocol.v1.Send;
import dev.tern.protocol.v1.SendAck;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.protocol.v1.SyncResult;
import dev.tern.protocol.v1.Update;
import dev.tern.protocol.v1.UpdatePush;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The connection lifecycle through the client's front door, against a real WebSocket peer on port 0
 * ({@link FakeServer}): drops, reconnects with backoff, resume with the ticket and sync from the
 * cursor, sends resent under their id, and the ends of a session. Time (the backoff, the heartbeat)
 * moves by hand, so each wait is read exactly instead of slept through.
 */
class ConnectionTest {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final TernListener listener = new TernListener() {
        @Override
        public void onUpdate(Update u) {
            events.add("update " + u.getPts());
        }

        @Override
        public void onConnection(boolean up) {
            events.add(up ? "up" : "down");
        }

        @Override
        public void onGoodbye(Goodbye g) {
            events.add("goodbye " + g.getReason());
        }
    };
    private FakeServer server;
    private TernClient client;

    @BeforeAll
    static void patience() {
        Awaitility.setDefaultTimeout(Duration.ofSeconds(30)); // a loaded build machine is slow, not wrong
    }

    @BeforeEach
    void start() throws Exception {
        server = new FakeServer();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    @Test
    void afterADropTheClientReconnectsResumesItsTicketAndSyncsFromItsCursor() throws Exception {
        signIn(ClientOptions.of(server.uri()));
        server.latest().send(push(6, 5));
        await().until(client::cursor, c -> c == 6);

        server.latest().drop();
        long delay = awaitTimerTasks(1);
        assertThat(delay).as("the first attempt comes soon").isBetween(50L, 100L);
        await().until(() -> events.contains("down"));
        assertThat(server.connections()).isEqualTo(1);

        scheduler.advance(delay);
        assertThat(server.next(2, BodyCase.HELLO).getHello().getOrderedSends()).isTrue();
        assertThat(server.next(2, BodyCase.RESUME).getResume().getTicket()).isEqualTo(FakeServer.TICKET);
        assertThat(server.next(2, BodyCase.SYNC).getSync().getAfterPts())
                .as("from the cursor, not from the session's pts (5)").isEqualTo(6);
        await().until(() -> events.equals(List.of("up", "update 6", "down", "up")));
    }

    @Test
    void whileTheServerRefusesTheWaitDoublesUpToFiveSecondsAndAResumeResetsIt() throws Exception {
        signIn(ClientOptions.of(server.uri()));
        server.refuse = true;
        server.latest().drop();
        long[] bases = {100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000};
        for (int attempt = 0; attempt < bases.length; attempt++) {
            long delay = awaitTimerTasks(attempt + 1);
            assertThat(delay).as("attempt %d", attempt).isBetween(bases[attempt] / 2, bases[attempt]);
            scheduler.advance(delay);
            int refused = attempt + 1;
            await().until(server::refusedHandshakes, n -> n == refused);
        }
        long last = awaitTimerTasks(bases.length + 1);
        server.refuse = false;
        scheduler.advance(last);
        server.next(2, BodyCase.RESUME);
        await().until(() -> events.getLast().equals("up"));

        server.latest().drop();
        assertThat(awaitTimerTasks(bases.length + 2)).as("back to the first wait").isBetween(50L, 100L);
    }

    @Test
    void aSendInFlightWhenTheConnectionDropsIsResentUnderItsIdAfterTheResume() throws Exception {
        server.responder = (connection, f) -> f.getBodyCase() == BodyCase.SEND && connection == 1 ? null
                : FakeServer.standard(f);
        signIn(ClientOptions.of(server.uri()));
        CompletableFuture<SendAck> sent = client.sendText(7, "hello");
        Send first = server.next(1, BodyCase.SEND).getSend();
        assertThat(first.getRetry()).isFalse();

        server.latest().drop(); // the answer is lost with the connection
        // One timer task, the reconnect: a send lost with the connection waits for the resume, not a backoff.
        scheduler.advance(awaitTimerTasks(1));
        server.next(2, BodyCase.RESUME);
        Send again = server.next(2, BodyCase.SEND).getSend();
        assertThat(again.getClientMsgId()).isEqualTo(first.getClientMsgId());
        assertThat(again.getRetry()).isTrue();
        assertThat(sent.get(10, TimeUnit.SECONDS).getConversationId()).isEqualTo(7);
        assertThat(client.unacknowledged()).isZero();
    }

    @Test
    void aResumeRefusedForAnExpiredTicketEndsTheSessionAndFailsWaitingSends() throws Exception {
        server.responder = (connection, f) -> f.getBodyCase() == BodyCase.RESUME
                ? FakeServer.error(ErrorCode.TICKET_EXPIRED, false, 0) : FakeServer.standard(f);
        CompletableFuture<SendAck> sent = signInWithASendNeverAnswered();
        server.latest().drop();
        scheduler.advance(awaitTimerTasks(1)); // the reconnect

        assertFailsWith(sent, ErrorCode.TICKET_EXPIRED);
        assertThat(client.ticket()).isNull();
        scheduler.advance(60_000);
        staysTrue(() -> scheduler.delays().size() == 1 && server.connections() == 2); // no attempt after it
    }

    @Test
    void aSessionRevokedElsewhereFailsWaitingSendsAndIsNotResumed() throws Exception {
        CompletableFuture<SendAck> sent = signInWithASendNeverAnswered();
        server.latest().send(ServerFrame.newBuilder().setGoodbye(Goodbye.newBuilder()
                .setReason(ErrorCode.SESSION_REVOKED).setMessage("password changed")).build());
        assertFailsWith(sent, ErrorCode.SESSION_REVOKED);
        server.latest().drop();
        await().until(() -> events.containsAll(List.of("goodbye SESSION_REVOKED", "down")));
        scheduler.advance(60_000);
        staysTrue(() -> server.connections() == 1);
        assertThat(client.ticket()).isNull();
    }

    @Test
    void withReconnectTurnedOffADropIsFinal() throws Exception {
        signIn(ClientOptions.of(server.uri()).withReconnect(false));
        server.latest().drop();
        await().until(() -> events.contains("down"));
        scheduler.advance(60_000);
        staysTrue(() -> scheduler.delays().isEmpty() && server.connections() == 1);
        assertThatThrownBy(() -> client.sync(0, 10).get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void aPushThatSkipsAPtsMakesTheClientSyncTheGapOverTheConnection() throws Exception {
        server.responder = (connection, f) -> f.getBodyCase() == BodyCase.SYNC && f.getSync().getAfterPts() == 6
                ? ServerFrame.newBuilder().setSyncResult(SyncResult.newBuilder().setPts(8)
                        .addUpdates(CursorTest.update(7, 6)).addUpdates(CursorTest.update(8, 7))).build()
                : FakeServer.standard(f);
        signIn(ClientOptions.of(server.uri()));
        server.latest().send(push(6, 5));
        server.latest().send(push(9, 8)); // 7 and 8 were lost
        assertThat(server.next(1, BodyCase.SYNC).getSync().getAfterPts()).isEqualTo(6);
        await().until(() -> events.equals(List.of("up", "update 6", "update 7", "update 8", "update 9")));
        assertThat(client.cursor()).isEqualTo(9);
    }

    @Test
    void closingFailsWaitingSendsAndNeverReconnects() throws Exception {
        CompletableFuture<SendAck> sent = signInWithASendNeverAnswered();
        client.close();
        assertFailsWith(sent, ErrorCode.SHUTTING_DOWN);
        assertThat(scheduler.isShutdown()).isTrue();
        staysTrue(() -> scheduler.delays().isEmpty() && server.connections() == 1);
    }

    @Test
    void jsonFramesCarryTheSameConversationAsBinaryOnes() throws Exception {
        signIn(ClientOptions.of(server.uri()).withBinary(false));
        assertThat(server.latest().binary()).isFalse();
        SendAck ack = client.sendText(7, "über ✓").get(10, TimeUnit.SECONDS);
        assertThat(ack.getConversationId()).isEqualTo(7);
        assertThat(server.next(1, BodyCase.SEND).getSend().getText()).isEqualTo("über ✓");
        server.latest().send(push(6, 5));
        await().until(() -> events.contains("update 6"));
    }

    @Test
    void theHeartbeatPingsOnceAPingInterval() throws Exception {
        signIn(new ClientOptions(server.uri(), true, Duration.ofSeconds(10), true, Duration.ofSeconds(20)));
        scheduler.advance(19_999);
        staysTrue(() -> server.count(1, BodyCase.PING) == 0);
        scheduler.advance(1);
        await().until(() -> server.count(1, BodyCase.PING) == 1);
        scheduler.advance(20_000);
        await().until(() -> server.count(1, BodyCase.PING) == 2);
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Connects on the manual scheduler and logs in (the fake server's session starts at pts 5), then
     * consumes the frames of the sign-in, up to the sync the client makes after it.
     */
    private void signIn(ClientOptions options) throws Exception {
        client = TernClient.connect(options, listener, scheduler).get(10, TimeUnit.SECONDS);
        client.login("ann", "password1", "test").get(10, TimeUnit.SECONDS);
        assertThat(client.ticket()).isEqualTo(FakeServer.TICKET);
        assertThat(server.next(1, BodyCase.SYNC).getSync().getAfterPts()).isEqualTo(5);
    }

    /** Signs in and sends a message that the server receives on connection 1 and never answers. */
    private CompletableFuture<SendAck> signInWithASendNeverAnswered() throws Exception {
        var standard = server.responder;
        server.responder = (connection, f) -> f.getBodyCase() == BodyCase.SEND ? null : standard.apply(connection, f);
        signIn(ClientOptions.of(server.uri()));
        CompletableFuture<SendAck> sent = client.sendText(7, "hello");
        server.next(1, BodyCase.SEND);
        return sent;
    }

    private static void assertFailsWith(CompletableFuture<SendAck> sent, ErrorCode code) {
        assertThatThrownBy(() -> sent.get(10, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(TernException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }

    /** Waits until the client has asked for {@code n} one-shot timer tasks; returns the last one's delay. */
    private long awaitTimerTasks(int n) {
        await().until(() -> scheduler.delays().size() >= n);
        assertThat(scheduler.delays()).hasSize(n);
        return scheduler.delays().getLast();
    }

    /** What should not happen: the condition holds, and goes on holding for a while. */
    private static void staysTrue(java.util.concurrent.Callable<Boolean> condition) {
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(condition);
    }

    private static ServerFrame push(long pts, long prevPts) {
        return ServerFrame.newBuilder().setUpdate(UpdatePush.newBuilder().setUpdate(CursorTest.update(pts, prevPts))).build();
    }
}
