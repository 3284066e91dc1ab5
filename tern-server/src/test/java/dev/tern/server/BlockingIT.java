package dev.tern.server;

import dev.tern.client.TernClient;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Presence;
import dev.tern.protocol.v1.UserRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.tern.server.MessageOpsIT.refused;
import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Blocking a user over real sockets: their direct messages are refused, presence and typing hidden both ways. */
class BlockingIT {
    @TempDir
    Path dir;

    static Presence presenceOf(TernClient viewer, String name) {
        return get(viewer.presence(List.of(name), false)).getPresences(0);
    }

    @Test
    void aBlockedUserCannotMessageTheBlockerAndNeitherSeesTheOthersPresence() {
        long group;
        try (TestNode node = TestNode.start(dir, Map.of())) {
            Recorder aliceSees = new Recorder();
            Recorder bobSees = new Recorder();
            try (TernClient alice = node.user("alice", aliceSees); TernClient bob = node.user("bob", bobSees)) {
                long chat = get(alice.sendTextTo("bob", "hi")).getConversationId();
                group = get(alice.createGroup("both", List.of("bob"))).getConversationId();
                assertThat(presenceOf(alice, "bob").getOnline()).isTrue();

                get(bob.block("alice"));
                assertThat(get(bob.blocked()).getUsersList()).extracting(UserRef::getUsername).containsExactly("alice");
                refused(alice.sendText(chat, "are you there?"), ErrorCode.BLOCKED);
                refused(alice.sendTextTo("bob", "hello?"), ErrorCode.BLOCKED);
                // The blocker may still write, and groups are not affected.
                get(bob.sendText(chat, "I blocked you"));
                get(alice.sendText(group, "group talk goes on"));
                await().atMost(Duration.ofSeconds(10)).until(() -> bobSees.messagesIn(group).size() >= 1);

                // Presence is hidden both ways; typing notices between them are dropped, in every conversation.
                Presence seenByAlice = presenceOf(alice, "bob");
                assertThat(seenByAlice.getOnline()).isFalse();
                assertThat(seenByAlice.getLastSeenMs()).isZero();
                assertThat(presenceOf(bob, "alice").getOnline()).isFalse();
                get(alice.typing(chat, false));
                get(alice.typing(group, false));
                get(bob.sendText(group, "marker"));
                await().atMost(Duration.ofSeconds(10)).until(() -> aliceSees.messagesIn(group).stream()
                        .anyMatch(m -> m.getText().equals("marker")));
                assertThat(bobSees.typing).isEmpty();

                refused(bob.block("bob"), ErrorCode.INVALID_ARGUMENT);
                refused(bob.block("nobody_here"), ErrorCode.USER_NOT_FOUND);
            }
        }
        // The block survives a restart; unblocking lets messages through again.
        try (TestNode node = TestNode.start(dir, Map.of());
             TernClient alice = node.user("alice", new Recorder()); TernClient bob = node.user("bob", new Recorder())) {
            refused(alice.sendTextTo("bob", "still?"), ErrorCode.BLOCKED);
            get(bob.unblock("alice"));
            assertThat(get(bob.blocked()).getUsersList()).isEmpty();
            assertThat(get(alice.sendTextTo("bob", "friends again")).getSeq()).isPositive();
            assertThat(presenceOf(alice, "bob").getOnline()).isTrue();
        }
    }
}
