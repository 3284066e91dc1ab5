package dev.tern.store.testkit;

import dev.tern.core.store.BanRecord;
import dev.tern.core.store.BlockRecord;
import dev.tern.core.store.ChannelNameRecord;
import dev.tern.core.store.ContactRecord;
import dev.tern.core.store.ConversationKind;
import dev.tern.core.store.ConversationRecord;
import dev.tern.core.store.DeleteBan;
import dev.tern.core.store.DeleteBlock;
import dev.tern.core.store.DeleteContact;
import dev.tern.core.store.DeleteInvite;
import dev.tern.core.store.DeleteMember;
import dev.tern.core.store.DeleteTicket;
import dev.tern.core.store.DialogRecord;
import dev.tern.core.store.DirectRecord;
import dev.tern.core.store.InviteRecord;
import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.MemberRole;
import dev.tern.core.store.PrivacyRecord;
import dev.tern.core.store.TicketRecord;
import dev.tern.core.store.UserRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.tern.store.testkit.Samples.hash;
import static dev.tern.store.testkit.Samples.member;
import static dev.tern.store.testkit.Samples.ticket;
import static dev.tern.store.testkit.Samples.user;
import static org.assertj.core.api.Assertions.assertThat;

/** Accounts, tickets, conversations, memberships and the direct-chat index: write, read back, overwrite, delete. */
public interface RecordContract extends StoreFixture {

    @Test
    default void usersRoundTripByIdAndByName() {
        UserRecord alice = user(1, "alice");
        UserRecord bob = new UserRecord(256, "bøb_ünïcode", "$argon2id$v=19$hash", 42);
        store().write(List.of(alice, bob));

        assertThat(store().user(1)).contains(alice);
        assertThat(store().user(256)).contains(bob);
        assertThat(store().userByName("alice")).contains(alice);
        assertThat(store().userByName("bøb_ünïcode")).contains(bob);
    }

    @Test
    default void missingUsersAreEmpty() {
        store().write(List.of(user(1, "alice")));

        assertThat(store().user(0)).isEmpty();
        assertThat(store().user(2)).isEmpty();
        assertThat(store().user(257)).isEmpty();
        assertThat(store().userByName("ali")).isEmpty();
        assertThat(store().userByName("alice2")).isEmpty();
        assertThat(store().userByName("")).isEmpty();
    }

    @Test
    default void userUpsertOverwritesAndARenameFreesTheOldName() {
        store().write(List.of(user(7, "carol")));
        UserRecord newPassword = new UserRecord(7, "carol", "$argon2id$new", Samples.T0 + 7);
        store().write(List.of(newPassword));
        assertThat(store().user(7)).contains(newPassword);
        assertThat(store().userByName("carol")).contains(newPassword);

        UserRecord renamed = new UserRecord(7, "caroline", "$argon2id$new", Samples.T0 + 7);
        store().write(List.of(renamed));
        assertThat(store().user(7)).contains(renamed);
        assertThat(store().userByName("caroline")).contains(renamed);
        assertThat(store().userByName("carol")).as("the old name no longer names anyone").isEmpty();

        UserRecord taker = user(8, "carol");
        store().write(List.of(taker));
        assertThat(store().userByName("carol")).contains(taker);
        assertThat(store().userByName("caroline")).contains(renamed);
    }

    @Test
    default void ticketsRoundTripByHashContent() {
        TicketRecord t1 = ticket(1, 10, 100);
        TicketRecord t2 = ticket(2, 10, 101);
        store().write(List.of(t1, t2));

        // A fresh array with the same content must find it: lookup is by value, not identity.
        Optional<TicketRecord> found = store().ticket(hash(1).clone());
        assertThat(found).isPresent();
        assertThat(found.get().hash()).containsExactly(hash(1));
        assertThat(found.get().userId()).isEqualTo(10);
        assertThat(found.get().deviceId()).isEqualTo(100);
        assertThat(found.get().deviceName()).isEqualTo("device 100");
        assertThat(found.get().createdAtMs()).isEqualTo(Samples.T0 + 1);
        assertThat(found.get().expiresAtMs()).isEqualTo(Samples.T0 + 1 + 86_400_000L);
        assertThat(store().ticket(hash(2))).get().usingRecursiveComparison().isEqualTo(t2);
        assertThat(store().ticket(hash(3))).isEmpty();
    }

    @Test
    default void invitesRoundTripByHashAndARevokeRemovesOnlyThatOne() {
        byte[] a = Samples.randomBytes(32, 7);
        byte[] b = Samples.randomBytes(32, 8);
        store().write(List.of(new InviteRecord(a, 5, 10, 1_000), new InviteRecord(b, 6, 11, 2_000)));
        assertThat(store().invite(a.clone())).get().usingRecursiveComparison().isEqualTo(new InviteRecord(a, 5, 10, 1_000));
        store().write(List.of(new DeleteInvite(a)));
        assertThat(store().invite(a)).isEmpty();
        assertThat(store().invite(b)).get().extracting(InviteRecord::conversationId).isEqualTo(6L);
        assertThat(store().invite(Samples.randomBytes(32, 9))).isEmpty();
    }

    @Test
    default void bansArePerConversationAndUserAndCanBeLifted() {
        store().write(List.of(new BanRecord(5, 10, 1, 100), new BanRecord(6, 11, 1, 100)));
        assertThat(store().banned(5, 10)).isTrue();
        assertThat(store().banned(5, 11)).isFalse();
        assertThat(store().banned(6, 10)).isFalse();
        store().write(List.of(new DeleteBan(5, 10)));
        assertThat(store().banned(5, 10)).isFalse();
        assertThat(store().banned(6, 11)).isTrue();
    }

    @Test
    default void blocksArePerBlockerInIdOrderAndCanBeLifted() {
        store().write(List.of(new BlockRecord(5, 300), new BlockRecord(5, 7), new BlockRecord(6, 5)));
        assertThat(store().blockedBy(5)).containsExactly(7L, 300L);
        assertThat(store().blockedBy(6)).containsExactly(5L);
        assertThat(store().blockedBy(7)).isEmpty();
        store().write(List.of(new DeleteBlock(5, 7)));
        assertThat(store().blockedBy(5)).containsExactly(300L);
    }

    @Test
    default void contactsAndPrivacySettingsRoundTrip() {
        store().write(List.of(new ContactRecord(5, 300), new ContactRecord(5, 7), new ContactRecord(6, 5),
                new PrivacyRecord(5, PrivacyRecord.Visibility.CONTACTS, PrivacyRecord.Visibility.NOBODY)));
        assertThat(store().contactsOf(5)).containsExactly(7L, 300L);
        assertThat(store().privacy(5)).contains(
                new PrivacyRecord(5, PrivacyRecord.Visibility.CONTACTS, PrivacyRecord.Visibility.NOBODY));
        assertThat(store().privacy(6)).isEmpty();
        store().write(List.of(new DeleteContact(5, 7),
                new PrivacyRecord(5, PrivacyRecord.Visibility.EVERYONE, PrivacyRecord.Visibility.NOBODY)));
        assertThat(store().contactsOf(5)).containsExactly(300L);
        assertThat(store().privacy(5).orElseThrow().lastSeen()).isEqualTo(PrivacyRecord.Visibility.EVERYONE);
    }

    @Test
    default void ticketUpsertOverwrites() {
        store().write(List.of(ticket(1, 10, 100)));
        TicketRecord extended = new TicketRecord(hash(1), 10, 100, "renamed device", 5, 99);
        store().write(List.of(extended));

        assertThat(store().ticket(hash(1))).get().usingRecursiveComparison().isEqualTo(extended);
    }

    @Test
    default void deleteTicketRemovesOnlyThatTicket() {
        store().write(List.of(ticket(1, 10, 100), ticket(2, 10, 101), ticket(3, 11, 102)));
        store().write(List.of(new DeleteTicket(hash(2))));

        assertThat(store().ticket(hash(2))).isEmpty();
        assertThat(store().ticket(hash(1))).get().extracting(TicketRecord::deviceId).isEqualTo(100L);
        assertThat(store().ticket(hash(3))).get().extracting(TicketRecord::deviceId).isEqualTo(102L);
        // Deleting what is not there is not an error.
        store().write(List.of(new DeleteTicket(hash(2)), new DeleteTicket(hash(9))));
        assertThat(store().ticket(hash(1))).isPresent();
    }

    @Test
    default void conversationsRoundTripAndUpsert() {
        ConversationRecord direct = new ConversationRecord(1, ConversationKind.DIRECT, "", 11);
        ConversationRecord group = new ConversationRecord(2, ConversationKind.GROUP, "Ørsted & friends 🐦", 12);
        store().write(List.of(direct, group));
        assertThat(store().conversation(1)).contains(direct);
        assertThat(store().conversation(2)).contains(group);
        assertThat(store().conversation(3)).isEmpty();

        ConversationRecord retitled = new ConversationRecord(2, ConversationKind.GROUP, "renamed", 12);
        store().write(List.of(retitled));
        assertThat(store().conversation(2)).contains(retitled);
        assertThat(store().conversation(1)).contains(direct);
    }

    @Test
    default void membersAreListedInUserIdOrder() {
        long big = Long.MAX_VALUE / 2;
        store().write(List.of(
                new MemberRecord(5, 256, MemberRole.ADMIN, 3),
                new MemberRecord(5, big, MemberRole.MEMBER, 9),
                new MemberRecord(5, 1, MemberRole.OWNER, 1),
                new MemberRecord(5, 255, MemberRole.MEMBER, 2),
                new MemberRecord(5, 65_536, MemberRole.MEMBER, 4),
                member(4, 2), member(6, 3)));

        assertThat(store().members(5)).containsExactly(
                new MemberRecord(5, 1, MemberRole.OWNER, 1),
                new MemberRecord(5, 255, MemberRole.MEMBER, 2),
                new MemberRecord(5, 256, MemberRole.ADMIN, 3),
                new MemberRecord(5, 65_536, MemberRole.MEMBER, 4),
                new MemberRecord(5, big, MemberRole.MEMBER, 9));
        assertThat(store().members(4)).containsExactly(member(4, 2));
        assertThat(store().members(6)).containsExactly(member(6, 3));
        assertThat(store().members(7)).isEmpty();
    }

    @Test
    default void membersArePagedInUserOrder() {
        store().write(List.of(member(5, 300), member(5, 2), member(5, 256), member(5, 1), member(6, 3)));

        assertThat(store().membersAfter(5, 0, 10)).extracting(MemberRecord::userId).containsExactly(1L, 2L, 256L, 300L);
        assertThat(store().membersAfter(5, 0, 2)).extracting(MemberRecord::userId).containsExactly(1L, 2L);
        assertThat(store().membersAfter(5, 2, 2)).extracting(MemberRecord::userId).containsExactly(256L, 300L);
        assertThat(store().membersAfter(5, 300, 10)).isEmpty();
        assertThat(store().membersAfter(5, -1L, 10)).isEmpty();
        assertThat(store().membersAfter(7, 0, 10)).isEmpty();
    }

    @Test
    default void conversationsOfAreAscending() {
        long big = Long.MAX_VALUE / 2;
        store().write(List.of(member(big, 9), member(256, 9), member(3, 9), member(255, 9), member(70_000, 9),
                member(256, 8), member(4, 10)));

        assertThat(store().conversationsOf(9)).containsExactly(3L, 255L, 256L, 70_000L, big);
        assertThat(store().conversationsOf(8)).containsExactly(256L);
        assertThat(store().conversationsOf(10)).containsExactly(4L);
        assertThat(store().conversationsOf(11)).isEmpty();
    }

    @Test
    default void memberUpsertChangesTheRoleWithoutDuplicating() {
        store().write(List.of(member(5, 1), member(5, 2)));
        store().write(List.of(new MemberRecord(5, 2, MemberRole.ADMIN, 1)));

        assertThat(store().members(5)).containsExactly(member(5, 1), new MemberRecord(5, 2, MemberRole.ADMIN, 1));
        assertThat(store().conversationsOf(2)).containsExactly(5L);
    }

    @Test
    default void deleteMemberRemovesBothIndexEntries() {
        store().write(List.of(member(5, 1), member(5, 2), member(5, 3), member(6, 2)));
        store().write(List.of(new DeleteMember(5, 2)));

        assertThat(store().members(5)).extracting(MemberRecord::userId).containsExactly(1L, 3L);
        assertThat(store().conversationsOf(2)).containsExactly(6L);
        assertThat(store().members(6)).containsExactly(member(6, 2));
        assertThat(store().conversationsOf(1)).containsExactly(5L);

        store().write(List.of(new DeleteMember(6, 2), new DeleteMember(99, 99)));
        assertThat(store().conversationsOf(2)).isEmpty();
        assertThat(store().members(6)).isEmpty();
    }

    @Test
    default void directIndexRoundTrip() {
        store().write(List.of(new DirectRecord(1, 2, 10), new DirectRecord(1, 256, 11),
                new DirectRecord(255, 256, 12)));

        assertThat(store().directConversation(1, 2)).hasValue(10);
        assertThat(store().directConversation(1, 256)).hasValue(11);
        assertThat(store().directConversation(255, 256)).hasValue(12);
        assertThat(store().directConversation(2, 256)).isEmpty();
        assertThat(store().directConversation(1, 3)).isEmpty();

        store().write(List.of(new DirectRecord(1, 2, 20)));
        assertThat(store().directConversation(1, 2)).hasValue(20);
    }

    @Test
    default void channelsKeepTheirKindAndPublicName() {
        ConversationRecord channel = new ConversationRecord(40, ConversationKind.CHANNEL, "News", 5, List.of(7L),
                "daily", true, 0, "tern_news");
        store().write(List.of(channel, new ChannelNameRecord("tern_news", 40), new ChannelNameRecord("tern_blog", 41),
                new ChannelNameRecord("ternary", 42), new ChannelNameRecord("other", 43)));

        assertThat(store().conversation(40)).hasValue(channel);
        assertThat(store().channelByName("tern_news")).hasValue(40);
        assertThat(store().channelByName("tern")).isEmpty();
        assertThat(store().channelNames("tern", 10)).extracting(ChannelNameRecord::canonicalName)
                .containsExactly("tern_blog", "tern_news", "ternary");
        assertThat(store().channelNames("tern", 2)).extracting(ChannelNameRecord::conversationId)
                .containsExactly(41L, 40L);
        assertThat(store().channelNames("zzz", 10)).isEmpty();
    }

    @Test
    default void dialogsRoundTripAndOverwrite() {
        DialogRecord a = new DialogRecord(3, 10, Long.MAX_VALUE, true, 0, "", 0);
        DialogRecord b = new DialogRecord(3, 256, 0, false, 99, "half a thought ✍", 98);
        store().write(List.of(a, b, new DialogRecord(4, 10, 1, false, 0, "", 0)));

        assertThat(store().dialog(3, 10)).hasValue(a);
        assertThat(store().dialog(3, 11)).isEmpty();
        assertThat(store().dialogsOf(3)).containsExactly(a, b);

        DialogRecord cleared = DialogRecord.defaults(3, 256);
        store().write(List.of(cleared));
        assertThat(store().dialogsOf(3)).containsExactly(a, cleared);
        assertThat(store().dialogsOf(5)).isEmpty();
    }
}
