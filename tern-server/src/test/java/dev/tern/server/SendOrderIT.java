package dev.tern.server;

import dev.tern.client.TernClient;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.SendAck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One device's messages are stored in the order it sent them even when the server refuses some of
 * them on the way (a rate limit here): sends pipelined behind a refused one are refused too until
 * the refused one is retried, so none overtakes it (the SDK asks for that in hello).
 */
class SendOrderIT {
    @TempDir
    Path dir;

    @Test
    void pipelinedSendsKeepTheirOrderThroughRateLimitRefusals() throws Exception {
        // 20 sends per second per device, each second's allowance refilled as it passes: a burst of
        // 150 pipelined sends is refused in part, over and over, while the allowance trickles back.
        try (TestNode node = TestNode.start(dir, Map.of("limits.send-rate-device", "20/1s"))) {
            try (TernClient a = node.user("alice", new Recorder()); TernClient b = node.user("bob", new Recorder())) {
                long conversation = get(a.sendTextTo("bob", "0")).getConversationId();
                List<CompletableFuture<SendAck>> acks = new ArrayList<>();
                for (int i = 1; i <= 150; i++) {
                    acks.add(a.sendText(conversation, Integer.toString(i)));
                }
                long last = 0;
                List<Long> seqs = new ArrayList<>();
                for (CompletableFuture<SendAck> f : acks) {
                    seqs.add(get(f).getSeq());
                }
                for (long seq : seqs) {
                    assertThat(seq).as("acks in send order: %s", seqs).isGreaterThan(last);
                    last = seq;
                }
                List<Message> stored = ConversationIT.all(b, conversation);
                List<String> expected = new ArrayList<>();
                for (int i = 0; i <= 150; i++) {
                    expected.add(Integer.toString(i));
                }
                assertThat(stored).extracting(Message::getText).containsExactlyElementsOf(expected);
                double refused = MetricsIT.sample(MetricsIT.fetch(node.server, "/metrics").body(),
                        "tern_errors_total{code=\"SEND_RATE_DEVICE\"}");
                assertThat(refused).as("the limit refused sends on the way").isPositive();
            }
        }
    }
}
