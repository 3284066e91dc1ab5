package dev.tern.core.tests;

import dev.tern.core.ErrorCode;
import dev.tern.core.Principal;
import dev.tern.core.store.PrivacyRecord.Visibility;
import dev.tern.core.store.UpdateKind;
import dev.tern.core.store.UpdateRecord;
import dev.tern.core.view.DialogView;
import dev.tern.core.view.UserRef;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tern.core.tests.CoreFixture.await;
import static dev.tern.core.tests.Refusals.codeOf;
import static org.assertj.core.api.Assertions.assertThat;

/** Blocking and privacy: who may message whom, who sees whose read markers. */
class PeopleTest extends CoreTestBase {
    private List<UpdateRecord> readEntries(Principal who) {
        return fx.store.updatesAfter(who.userId(), 0, 1000).stream().filter(u -> u.kind() == UpdateKind.READ).toList();
    }

    private DialogView dialogOf(Principal who, long conversationId) {
        return fx.dialogs.list(who, false, 0, 0, 0).dialogs().stream()
                .filter(d -> d.conversationId() == conversationId).findFirst().orElseThrow();
    }

    @Test
    void aBlockedUserCannotMessageTheBlockerUntilUnblocked() {
        long direct = fx.sendTo(alice, bob, "hi").conversationId();
        await(fx.blocks.block(bob, "alice", false));
        assertThat(codeOf(() -> fx.messaging.send(alice, CoreFixture.text(direct, "hello?").build())))
                .isEqualTo(ErrorCode.BLOCKED);
        assertThat(codeOf(() -> fx.sendTo(alice, bob, "by name"))).isEqualTo(ErrorCode.BLOCKED);
        // Blocking is one way: the blocker may still write.
        assertThat(fx.sendTo(bob, alice, "I can").conversationId()).isEqualTo(direct);
        await(fx.blocks.block(bob, "alice", true));
        assertThat(fx.send(alice, direct, "again").seq()).isEqualTo(3);
    }

    @Test
    void aBlockKeepsTheBlockedUserFromOpeningADirectChat() {
        await(fx.blocks.block(bob, "alice", false));
        assertThat(codeOf(() -> fx.sendTo(alice, bob, "first contact"))).isEqualTo(ErrorCode.BLOCKED);
        assertThat(fx.store.directConversation(Math.min(alice.userId(), bob.userId()),
                Math.max(alice.userId(), bob.userId()))).isEmpty();
    }

    @Test
    void theBlockListNamesTheBlockedAndRefusesSelfAndStrangers() {
        await(fx.blocks.block(alice, "bob", false));
        assertThat(fx.blocks.blocked(alice)).extracting(UserRef::username).containsExactly("bob");
        assertThat(fx.blocks.eitherBlocks(bob.userId(), alice.userId())).isTrue();
        assertThat(codeOf(() -> fx.blocks.block(alice, "alice", false))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(codeOf(() -> fx.blocks.block(alice, "nobody_here", false))).isEqualTo(ErrorCode.USER_NOT_FOUND);
    }

    @Test
    void readReceiptsForContactsOnlyAreHiddenFromOthers() {
        long direct = fx.sendTo(alice, bob, "one").conversationId();
        fx.send(alice, direct, "two");
        await(fx.privacy.set(bob, null, Visibility.CONTACTS));
        assertThat(await(fx.receipts.markRead(bob, direct, 1)).pts()).isPositive(); // bob's own devices learn it
        assertThat(readEntries(alice)).isEmpty();
        assertThat(readEntries(bob)).hasSize(1);
        assertThat(dialogOf(alice, direct).peerReadSeq()).isZero();
        await(fx.privacy.contact(bob, "alice", false));
        await(fx.receipts.markRead(bob, direct, 2));
        assertThat(readEntries(alice)).extracting(UpdateRecord::seq).containsExactly(2L);
        assertThat(dialogOf(alice, direct).peerReadSeq()).isEqualTo(2);
    }

    @Test
    void readReceiptsForNobodyReachOnlyTheReadersOwnLogInAGroup() {
        Principal carol = fx.user("carol");
        long g = fx.group(alice, bob, carol);
        long seq = fx.send(alice, g, "read me").seq();
        await(fx.privacy.set(carol, null, Visibility.NOBODY));
        await(fx.receipts.markRead(carol, g, seq));
        await(fx.receipts.markRead(bob, g, seq));
        assertThat(readEntries(alice)).extracting(UpdateRecord::actorId).containsExactly(bob.userId());
        assertThat(readEntries(carol)).extracting(UpdateRecord::actorId).containsExactly(carol.userId(), bob.userId());
        assertThat(fx.privacy.get(carol).readReceipts()).isEqualTo(Visibility.NOBODY);
        assertThat(fx.privacy.get(carol).lastSeen()).isEqualTo(Visibility.EVERYONE); // unspecified: unchanged
    }

    @Test
    void contactsAreListedInIdOrder() {
        Principal carol = fx.user("carol");
        await(fx.privacy.contact(alice, "carol", false));
        await(fx.privacy.contact(alice, "bob", false));
        assertThat(fx.privacy.contacts(alice)).extracting(UserRef::userId)
                .containsExactly(bob.userId(), carol.userId());
        await(fx.privacy.contact(alice, "bob", true));
        assertThat(fx.privacy.contacts(alice)).extracting(UserRef::username).containsExactly("carol");
    }
}
