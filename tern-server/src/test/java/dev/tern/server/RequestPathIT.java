package dev.tern.server;

import dev.tern.client.TernClient;
import dev.tern.core.delivery.Sink;
import dev.tern.core.view.Push;
import dev.tern.gateway.wire.Pushes;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.SendAck;
import dev.tern.protocol.v1.ServerFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Keeps docs/request-path.md true: a send through a real server is made durable by the committer
 * thread before its ack, and its pushes leave on the publisher thread (direct chats and groups) or
 * the broadcast thread (channels), in the order they were committed.
 */
class RequestPathIT {
    @TempDir
    Path dir;

    /** Stands in for one more device of a user: records each push and the thread that made it. */
    private record Seen(String thread, ServerFrame frame) {}

    private static final class Watching implements Sink {
        final long userId;
        final List<Seen> seen = new CopyOnWriteArrayList<>();

        Watching(long userId) {
            this.userId = userId;
        }

        @Override
        public long userId() {
            return userId;
        }

        @Override
        public long deviceId() {
            return Long.MAX_VALUE; // no real device has it: never the acting device
        }

        @Override
        public void push(Push push) {
            // As a connection would send it: through the edge's one mapping.
            seen.add(new Seen(Thread.currentThread().getName(), Pushes.frame(push)));
        }

        @Override
        public void close(dev.tern.core.ErrorCode reason, String message) {
        }
    }

    @Test
    void aSendIsCommittedByTheCommitterAndPushedByThePublisherOrTheBroadcastThread() {
        try (TestNode node = TestNode.start(dir)) {
            List<String> committers = new CopyOnWriteArrayList<>();
            node.server.core().listenToCommits((batches, mutations, nanos) ->
                    committers.add(Thread.currentThread().getName()));
            try (TernClient alice = node.user("alice", new Recorder());
                 TernClient bob = node.user("bob", new Recorder())) {
                Watching bobsOtherDevice = new Watching(bob.session().getUserId());
                node.server.core().sessions().add(bobsOtherDevice);

                SendAck first = get(alice.sendTextTo("bob", "one"));
                assertThat(committers).as("durable before the ack").isNotEmpty().allMatch("tern-committer"::equals);
                SendAck second = get(alice.sendText(first.getConversationId(), "two"));
                await().atMost(Duration.ofSeconds(10)).until(() -> bobsOtherDevice.seen.size() >= 2);
                assertThat(bobsOtherDevice.seen).extracting(Seen::thread).containsOnly("tern-publisher");
                assertThat(bobsOtherDevice.seen).extracting(s -> s.frame().getUpdate().getUpdate().getMessage().getSeq())
                        .as("pushed in commit order").containsExactly(first.getSeq(), second.getSeq());

                long channel = get(alice.createChannel("Path", "", "request_path")).getConversationId();
                get(bob.joinChannel("request_path"));
                bobsOtherDevice.seen.clear();
                SendAck post = get(alice.sendText(channel, "to every subscriber"));
                await().atMost(Duration.ofSeconds(10)).until(() -> bobsOtherDevice.seen.stream()
                        .anyMatch(s -> s.frame().getUpdate().getUpdate().getMessage().getSeq() == post.getSeq()));
                assertThat(bobsOtherDevice.seen).filteredOn(s -> s.frame().getUpdate().getUpdate().hasMessage())
                        .extracting(Seen::thread).containsOnly("tern-broadcast");
            }
        }
    }
}
