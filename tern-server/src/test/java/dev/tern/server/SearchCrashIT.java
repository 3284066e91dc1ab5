package dev.tern.server;

import dev.tern.client.ClientOptions;
import dev.tern.client.TernClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.tern.server.SearchIT.eventually;
import static dev.tern.server.SearchIT.q;
import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 after messages were acknowledged and made searchable, but before the index committed
 * them: the commit interval is an hour, so the index on disk has none of them (its only commit is
 * the empty one made when it was first built). After the restart they are found again, replayed
 * from the store's search backlog, and the server says how many it replayed.
 */
class SearchCrashIT {
    @TempDir
    Path dir;

    @Test
    void acknowledgedMessagesBecomeSearchableAfterKillMinus9BeforeTheIndexCommitted() throws Exception {
        int port = ServerProcess.freePort();
        URI uri = URI.create("ws://127.0.0.1:" + port + "/ws");
        Map<String, String> settings = Map.of("search.commit-interval", "1h");
        ServerProcess server = ServerProcess.start(dir, port, settings);
        try {
            try (TernClient alice = TernClient.connect(ClientOptions.of(uri), null).get(30, TimeUnit.SECONDS);
                 TernClient bob = TernClient.connect(ClientOptions.of(uri), null).get(30, TimeUnit.SECONDS)) {
                get(bob.register("bob", "password-bob"));
                get(alice.register("alice", "password-alice"));
                get(alice.login("alice", "password-alice", "crash-test"));
                var first = get(alice.sendTextTo("bob", "lemon one"));
                long chat = first.getConversationId();
                get(alice.sendText(chat, "lemon two"));
                get(alice.editText(chat, first.getSeq(), "lime one"));
                // Searchable (in the index's memory), acknowledged (in the store), not committed.
                eventually(alice, q("lemon"), "lemon two");
                eventually(alice, q("lime"), "lime one");
                server.kill9();
            }
            server = ServerProcess.start(dir, port, settings);
            ServerProcess restarted = server;
            await().atMost(Duration.ofSeconds(20)).until(() -> restarted.tail().contains("replayed"));
            assertThat(restarted.tail()).contains("search index: replayed 3 backlog entries");
            try (TernClient alice = TernClient.connect(ClientOptions.of(uri), null).get(30, TimeUnit.SECONDS)) {
                get(alice.login("alice", "password-alice", "after-crash"));
                eventually(alice, q("lemon"), "lemon two");
                eventually(alice, q("lime"), "lime one");
            }
        } finally {
            server.close();
        }
    }
}
