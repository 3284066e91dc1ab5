package dev.tern.core.tests;

import dev.tern.core.Principal;
import dev.tern.core.store.UpdateKind;
import dev.tern.core.store.UpdateRecord;
import dev.tern.protocol.v1.Dialog;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.GetDialogs;
import dev.tern.protocol.v1.SetPrivacy;
import dev.tern.protocol.v1.UserRef;
import dev.tern.protocol.v1.Visibility;
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

    private Dialog dialogOf(Principal who, long conversationId) {
        return fx.dialogs.list(who, GetDialogs.getDefaultInstance()).getDialogsList().stream()
                .filter(d -> d.getConversationId() == conversationId).findFirst().orElseThrow();
    }

    @Test
    void aBlockedUserCannotMessageTheBlockerUntilUnblocked() {
        long direct = fx.sendTo(alice, bob, "hi").getConversationId();
        await(fx.blocks.block(bob, "alice", false));
        assertThat(codeOf(() -> fx.messaging.send(alice, CoreFixture.text(direct, "hello?").build())))
                .isEqualTo(ErrorCode.BLOCKED);
        assertThat(codeOf(() -> fx.sendTo(alice, bob, "by name"))).isEqualTo(ErrorCode.BLOCKED);
        // Blocking is one way: the blocker may still write.
        assertThat(fx.sendTo(bob, alice, "I can").getConversationId()).isEqualTo(direct);
        await(fx.blocks.block(bob, "alice", true));
        assertThat(fx.send(alice, direct, "again").getSeq()).isEqualTo(3);
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
        assertThat(fx.blocks.blocked(alice).getUsersList()).extracting(UserRef::getUsername).containsExactly("bob");
        assertThat(fx.blocks.eitherBlocks(bob.userId(), alice.userId())).isTrue();
        assertThat(codeOf(() -> fx.blocks.block(alice, "alice", false))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(codeOf(() -> fx.blocks.block(alice, "nobody_here", false))).isEqualTo(ErrorCode.USER_NOT_FOUND);
    }

    @Test
    void readReceiptsForContactsOnlyAreHiddenFromOthers() {
        long direct = fx.sendTo(alice, bob, "one").getConversationId();
        fx.send(alice, direct, "two");
        await(fx.privacy.set(bob, SetPrivacy.newBuilder().setReadReceipts(Visibility.CONTACTS).build()));
        assertThat(await(fx.receipts.markRead(bob, direct, 1)).getPts()).isPositive(); // bob's own devices learn it
        assertThat(readEntries(alice)).isEmpty();
        assertThat(readEntries(bob)).hasSize(1);
        assertThat(dialogOf(alice, direct).getPeerReadSeq()).isZero();
        await(fx.privacy.contact(bob, "alice", false));
        await(fx.receipts.markRead(bob, direct, 2));
        assertThat(readEntries(alice)).extracting(UpdateRecord::seq).containsExactly(2L);
        assertThat(dialogOf(alice, direct).getPeerReadSeq()).isEqualTo(2);
    }

    @Test
    void readReceiptsForNobodyReachOnlyTheReadersOwnLogInAGroup() {
        Principal carol = fx.user("carol");
        long g = fx.group(alice, bob, carol);
        long seq = fx.send(alice, g, "read me").getSeq();
        await(fx.privacy.set(carol, SetPrivacy.newBuilder().setReadReceipts(Visibility.NOBODY).build()));
        await(fx.receipts.markRead(carol, g, seq));
        await(fx.receipts.markRead(bob, g, seq));
        assertThat(readEntries(alice)).extracting(UpdateRecord::actorId).containsExactly(bob.userId());
        assertThat(readEntries(carol)).extracting(UpdateRecord::actorId).containsExactly(carol.userId(), bob.userId());
        assertThat(fx.privacy.get(carol).getReadReceipts()).isEqualTo(Visibility.NOBODY);
        assertThat(fx.privacy.get(carol).getLastSeen()).isEqualTo(Visibility.EVERYONE); // unspecified: unchanged
    }

    @Test
    void contactsAreListedInIdOrder() {
        Principal carol = fx.user("carol");
        await(fx.privacy.contact(alice, "carol", false));
        await(fx.privacy.contact(alice, "bob", false));
        assertThat(fx.privacy.contacts(alice).getUsersList()).extracting(UserRef::getUserId)
                .containsExactly(bob.userId(), carol.userId());
        await(fx.privacy.contact(alice, "bob", true));
        assertThat(fx.privacy.contacts(alice).getUsersList()).extracting(UserRef::getUsername).containsExactly("carol");
    }
}
