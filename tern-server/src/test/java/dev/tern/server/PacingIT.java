package dev.tern.server;

import dev.tern.client.TernClient;
import dev.tern.protocol.v1.Error;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.SendAck;
import dev.tern.protocol.v1.ServerFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static dev.tern.server.BadInputIT.parse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox docs/protocol.md recommends ("Pace, do not resend the backlog"), written as plainly as
 * a client author would from the text alone, against a server with the default send limits: it
 * must deliver a burst far above the limit, in order, with about one transmission per message and
 * in about the time the limit allows. Resending the whole backlog after each hint costs many times
 * that. The Java SDK's outbox follows the same text and must do as well, counted at the server.
 */
class PacingIT {
    /** The refusals that hold back the sends behind them (ordered sends) and carry a pacing hint. */
    private static final Set<ErrorCode> PACING = Set.of(ErrorCode.SEND_RATE_DEVICE, ErrorCode.SEND_RATE_USER,
            ErrorCode.OVERLOADED);
    private static final int SENDS = 200;
    /** Sends in flight at most while nothing is refused. */
    private static final int WINDOW = 8;

    @TempDir
    Path dir;

    private RawSocket socket;
    private int requestIds;
    private int transmissions;

    @Test
    void theDocumentedPacingDeliversABurstInOrderWithAboutOneTransmissionPerMessage() throws Exception {
        // The defaults of limits.send-rate-device and limits.send-rate-user (TestNode turns them off).
        try (TestNode node = TestNode.start(dir, Map.of("limits.send-rate-device", "20/1s", "limits.send-rate-user", "50/1s"));
             TernClient bob = node.user("bob", new Recorder());
             RawSocket s = RawSocket.json(node.uri())) {
            socket = s;
            call("\"hello\":{\"protocolVersion\":1,\"orderedSends\":true}");
            call("\"register\":{\"username\":\"alice\",\"password\":\"correct horse battery\"}");
            assertThat(call("\"login\":{\"username\":\"alice\",\"password\":\"correct horse battery\"}").hasSession()).isTrue();
            long conversation = call(send("\"peer\":\"bob\"", "m0", "0", false)).getSendAck().getConversationId();
            Thread.sleep(1_100); // the device's allowance refills: a full burst of 20 is available

            long started = System.nanoTime();
            List<Long> seqs = deliver(conversation);
            long tookMs = (System.nanoTime() - started) / 1_000_000;

            assertThat(seqs).as("acks in send order").isSorted().doesNotHaveDuplicates().hasSize(SENDS);
            List<String> stored = ConversationIT.all(bob, conversation).stream().map(Message::getText).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i <= SENDS; i++) {
                expected.add(Integer.toString(i));
            }
            assertThat(stored).containsExactlyElementsOf(expected);
            // 20 at once, then 180 at 20/s: 9 s and 200 transmissions at best.
            System.out.printf("paced outbox: %d sends in %d ms with %d transmissions%n", SENDS, tookMs, transmissions);
            assertThat(transmissions).as("transmissions").isLessThanOrEqualTo(SENDS * 5 / 4);
            assertThat(tookMs).as("ms to deliver").isLessThan(15_000);
        }
    }

    @Test
    void theJavaSdkPacesABurstTheSameWay() throws Exception {
        try (TestNode node = TestNode.start(dir, Map.of("limits.send-rate-device", "20/1s", "limits.send-rate-user", "50/1s"))) {
            node.user("bob", new Recorder()).close(); // registered; nothing of his on the wire meanwhile
            try (TernClient alice = node.user("alice", new Recorder())) {
                long conversation = TestNode.get(alice.sendTextTo("bob", "0")).getConversationId();
                Thread.sleep(1_100); // the device's allowance refills: a full burst of 20 is available

                double answeredBefore = sendAnswers(node);
                long started = System.nanoTime();
                List<CompletableFuture<SendAck>> acks = new ArrayList<>();
                for (int i = 1; i <= SENDS; i++) {
                    acks.add(alice.sendText(conversation, Integer.toString(i)));
                }
                List<Long> seqs = new ArrayList<>();
                for (CompletableFuture<SendAck> f : acks) {
                    seqs.add(f.get(60, TimeUnit.SECONDS).getSeq());
                }
                long tookMs = (System.nanoTime() - started) / 1_000_000;
                // Each transmission of a send is answered once, by an ack or an error: count the answers.
                long transmissions = Math.round(sendAnswers(node) - answeredBefore);

                assertThat(seqs).as("acks in send order").isSorted().doesNotHaveDuplicates().hasSize(SENDS);
                List<String> expected = IntStream.rangeClosed(0, SENDS).mapToObj(Integer::toString).toList();
                assertThat(ConversationIT.all(alice, conversation)).extracting(Message::getText)
                        .containsExactlyElementsOf(expected);
                System.out.printf("Java SDK: %d sends in %d ms with %d transmissions%n", SENDS, tookMs, transmissions);
                assertThat(transmissions).as("transmissions").isGreaterThanOrEqualTo(SENDS).isLessThan(260);
                assertThat(tookMs).as("ms to deliver").isLessThan(15_000);
            }
        }
    }

    /** Sends acknowledged plus error answers of any kind, from the server's metrics. */
    private static double sendAnswers(TestNode node) throws Exception {
        String metrics = MetricsIT.fetch(node.server, "/metrics").body();
        Matcher errors = Pattern.compile("(?m)^tern_errors_total\\{[^}]*} ([0-9.eE+-]+)$").matcher(metrics);
        double sum = MetricsIT.sample(metrics, "tern_sends_total");
        while (errors.find()) {
            sum += Double.parseDouble(errors.group(1));
        }
        return sum;
    }

    /**
     * The recommended outbox: up to {@link #WINDOW} sends in flight while nothing is refused; after a
     * pacing refusal one at a time, the refused send again after its hint, and then each next send
     * {@code gap} after the previous one went out, until the outbox is empty. The gap starts at the
     * hint and grows by the hint of every paced send that is refused anyway.
     */
    private List<Long> deliver(long conversation) throws Exception {
        List<Long> seqs = new ArrayList<>();
        boolean[] transmitted = new boolean[SENDS + 1];
        long[] sentAt = new long[SENDS + 1];
        boolean[] pacedAt = new boolean[SENDS + 1]; // its latest transmission was a paced one
        Map<String, Integer> inFlight = new HashMap<>();
        Map<Integer, Long> acked = new HashMap<>();
        int next = 1;     // the first send not acknowledged
        int unsent = 1;   // the first send not in flight
        long gap = 0;     // 0: not pacing
        long nextAt = 0;
        while (next <= SENDS) {
            if (gap == 0) {
                while (inFlight.size() < WINDOW && unsent <= SENDS) {
                    sentAt[unsent] = System.nanoTime();
                    pacedAt[unsent] = false;
                    inFlight.put(transmit(conversation, unsent, transmitted[unsent]), unsent);
                    transmitted[unsent++] = true;
                }
            } else if (inFlight.isEmpty()) {
                sleepUntil(nextAt);
                sentAt[next] = System.nanoTime();
                pacedAt[next] = true;
                inFlight.put(transmit(conversation, next, transmitted[next]), next);
                transmitted[next] = true;
                unsent = next + 1;
            }
            ServerFrame f = parse(socket.next());
            Integer i = inFlight.remove(f.getId());
            if (i == null) {
                continue; // a push
            }
            if (f.hasSendAck()) {
                acked.put(i, f.getSendAck().getSeq());
                nextAt = sentAt[i] + gap * 1_000_000;
            } else {
                // This send and every one in flight behind it (refused too) go out again, in order.
                Error e = f.getError();
                assertThat(PACING).as("refused with %s", e.getCode()).contains(e.getCode());
                // A paced send refused went out that much too early: the gap grows by the hint.
                gap = pacedAt[i] ? gap + e.getRetryAfterMs() : Math.max(gap, e.getRetryAfterMs());
                nextAt = Math.max(nextAt, afterHint(e.getRetryAfterMs()));
                unsent = Math.min(unsent, i);
            }
            while (acked.containsKey(next)) {
                seqs.add(acked.get(next++));
            }
        }
        return seqs;
    }

    /** The hint plus up to a quarter more, so clients refused together do not all return at once. */
    private static long afterHint(int retryAfterMs) {
        long jitter = ThreadLocalRandom.current().nextLong(retryAfterMs / 4 + 1);
        return System.nanoTime() + (retryAfterMs + jitter) * 1_000_000;
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    private String transmit(long conversation, int i, boolean retry) throws Exception {
        transmissions++;
        String id = "r" + ++requestIds;
        socket.send("{\"id\":\"" + id + "\"," + send("\"conversationId\":\"" + conversation + "\"", "m" + i,
                Integer.toString(i), retry) + "}");
        return id;
    }

    private static String send(String target, String clientMsgId, String text, boolean retry) {
        return "\"send\":{" + target + ",\"clientMsgId\":\"" + clientMsgId + "\",\"contentType\":\"text/plain\",\"text\":\""
                + text + "\"" + (retry ? ",\"retry\":true" : "") + "}";
    }

    private ServerFrame call(String body) throws Exception {
        String id = "r" + ++requestIds;
        socket.send("{\"id\":\"" + id + "\"," + body + "}");
        return awaitAnswer(id);
    }

    private ServerFrame awaitAnswer(String id) throws Exception {
        while (true) {
            ServerFrame f = parse(socket.next());
            if (f.getId().equals(id)) {
                return f;
            }
        }
    }
}
