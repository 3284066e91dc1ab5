package dev.tern.server;

import dev.tern.client.TernClient;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Privacy;
import dev.tern.protocol.v1.Update;
import dev.tern.protocol.v1.UserRef;
import dev.tern.protocol.v1.Visibility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.tern.server.BlockingIT.presenceOf;
import static dev.tern.server.MessageOpsIT.refused;
import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Contacts and the last-seen and read-receipt settings, honoured by presence and read markers. */
class PrivacyIT {
    @TempDir
    Path dir;

    static long readsFrom(Recorder r, long conversation) {
        return r.updates.stream().filter(u -> u.hasRead() && u.getRead().getConversationId() == conversation).count();
    }

    @Test
    void lastSeenAndReadReceiptsReachEveryoneContactsOrNobody() {
        try (TestNode node = TestNode.start(dir, Map.of())) {
            Recorder aliceSees = new Recorder();
            Recorder carolSees = new Recorder();
            try (TernClient alice = node.user("alice", aliceSees); TernClient bob = node.user("bob", new Recorder());
                 TernClient carol = node.user("carol", carolSees)) {
                long group = get(alice.createGroup("g", List.of("bob", "carol"))).getConversationId();
                long seq = get(alice.sendText(group, "read me")).getSeq();
                assertThat(presenceOf(alice, "bob").getOnline()).isTrue();

                // Last seen: nobody, then contacts only.
                Privacy p = get(bob.setPrivacy(Visibility.NOBODY, Visibility.VISIBILITY_UNSPECIFIED));
                assertThat(p.getLastSeen()).isEqualTo(Visibility.NOBODY);
                assertThat(p.getReadReceipts()).isEqualTo(Visibility.EVERYONE);
                assertThat(presenceOf(alice, "bob").getOnline()).isFalse();
                assertThat(presenceOf(alice, "bob").getLastSeenMs()).isZero();
                get(bob.setPrivacy(Visibility.CONTACTS, Visibility.VISIBILITY_UNSPECIFIED));
                get(bob.addContact("alice"));
                assertThat(get(bob.contacts()).getUsersList()).extracting(UserRef::getUsername).containsExactly("alice");
                assertThat(presenceOf(alice, "bob").getOnline()).isTrue();
                assertThat(presenceOf(carol, "bob").getOnline()).isFalse();

                // Read receipts: nobody gets bob's marker but bob himself (in his own log).
                get(bob.setPrivacy(Visibility.VISIBILITY_UNSPECIFIED, Visibility.NOBODY));
                long bobFrom = 0;
                get(bob.markRead(group, seq));
                assertThat(get(bob.sync(bobFrom, 500)).getUpdatesList()).anyMatch(Update::hasRead);
                // Contacts only: alice (a contact) gets the next marker, carol does not.
                get(bob.setPrivacy(Visibility.VISIBILITY_UNSPECIFIED, Visibility.CONTACTS));
                long later = get(carol.sendText(group, "and me")).getSeq();
                get(bob.markRead(group, later));
                await().atMost(Duration.ofSeconds(10)).until(() -> readsFrom(aliceSees, group) == 1);
                get(alice.sendText(group, "marker"));
                await().atMost(Duration.ofSeconds(10)).until(() -> carolSees.messagesIn(group).stream()
                        .anyMatch(m -> m.getText().equals("marker")));
                assertThat(readsFrom(carolSees, group)).isZero();
                assertThat(aliceSees.updates.stream().filter(Update::hasRead).findFirst().orElseThrow().getRead()
                        .getUpToSeq()).isEqualTo(later);

                get(bob.removeContact("alice"));
                assertThat(presenceOf(alice, "bob").getOnline()).isFalse();
                refused(bob.addContact("bob"), ErrorCode.INVALID_ARGUMENT);
                refused(bob.addContact("nobody_here"), ErrorCode.USER_NOT_FOUND);
            }
        }
        try (TestNode node = TestNode.start(dir, Map.of()); TernClient bob = node.user("bob", new Recorder())) {
            Privacy kept = get(bob.setPrivacy(Visibility.VISIBILITY_UNSPECIFIED, Visibility.VISIBILITY_UNSPECIFIED));
            assertThat(kept.getLastSeen()).isEqualTo(Visibility.CONTACTS);
            assertThat(kept.getReadReceipts()).isEqualTo(Visibility.CONTACTS);
            assertThat(get(bob.contacts()).getUsersList()).isEmpty();
        }
    }
}
