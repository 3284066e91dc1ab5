package dev.tern.core.tests;

import dev.tern.core.ErrorCode;
import dev.tern.core.Principal;
import dev.tern.core.group.GroupChange;
import dev.tern.core.store.MemberRole;
import dev.tern.core.view.Committed;
import dev.tern.core.view.MemberView;
import dev.tern.core.view.MessageView;
import dev.tern.core.view.ServiceEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.tern.core.tests.CoreFixture.await;
import static dev.tern.core.tests.Refusals.codeOf;
import static dev.tern.core.tests.Refusals.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

/** Group membership, roles and posting rules. */
class GroupsTest extends CoreTestBase {
    // alice owns the group, bob is a member, carol an admin
    private final Principal carol = fx.user("carol");
    private final long g = fx.group(alice, bob);

    GroupsTest() {
        await(fx.groups.addMember(alice, g, "carol", MemberRole.ADMIN));
    }

    private Committed update(Principal who, GroupChange req) {
        return await(fx.settings.update(who, req));
    }

    private GroupChange title(String title) {
        return new GroupChange(g, title, null, null, null);
    }

    private GroupChange adminsOnly(boolean on) {
        return new GroupChange(g, null, null, on, null);
    }

    private GroupChange slowMode(int seconds) {
        return new GroupChange(g, null, null, null, seconds);
    }

    private MemberRole roleOf(String name) {
        return fx.groups.members(alice, g, 0, 100).members().stream()
                .filter(m -> m.username().equals(name)).map(MemberView::role).findFirst().orElseThrow();
    }

    private MessageView newest(Principal who) {
        return fx.history(who, g).messages().getFirst();
    }

    private ErrorCode sendCode(Principal who) {
        return codeOf(() -> fx.messaging.send(who, CoreFixture.text(g, "x").build()));
    }

    @Test
    void whenOnlyAdminsPostMembersAreRefused() {
        update(carol, adminsOnly(true));
        assertThat(sendCode(bob)).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(fx.send(carol, g, "admin").seq()).isPositive();
        assertThat(fx.send(alice, g, "owner").seq()).isPositive();
        update(alice, adminsOnly(false));
        assertThat(fx.send(bob, g, "member again").seq()).isPositive();
    }

    @Test
    void slowModeOutsideZeroToADayIsRefused() {
        // A uint32 past 2^31 on the wire arrives negative: refused, never stored as a negative interval.
        assertThat(codeOf(() -> fx.settings.update(alice, slowMode(-1)))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(codeOf(() -> fx.settings.update(alice, slowMode(86_401)))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(await(fx.settings.update(alice, slowMode(86_400))).pts()).isPositive();
    }

    @Test
    void anAddedMemberNeedsARoleOfMemberOrAdminCheckedAfterTheUser() {
        fx.user("dave");
        assertThat(codeOf(() -> fx.groups.addMember(alice, g, "nobody", null))).isEqualTo(ErrorCode.USER_NOT_FOUND);
        assertThat(codeOf(() -> fx.groups.addMember(alice, g, "dave", null))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(codeOf(() -> fx.groups.addMember(alice, g, "dave", MemberRole.OWNER)))
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(fx.groups.members(alice, g, 0, 100).members()).extracting(MemberView::username)
                .doesNotContain("dave");
    }

    @Test
    void slowModeLetsAMemberSendOncePerIntervalWithARetryHint() {
        update(alice, slowMode(30));
        fx.send(bob, g, "first");
        dev.tern.core.Failure refused = failureOf(() -> fx.messaging.send(bob, CoreFixture.text(g, "2").build()));
        assertThat(refused.code()).isEqualTo(ErrorCode.SLOW_MODE);
        assertThat(refused.retryAfterMs()).isEqualTo(30_000);
        fx.clock.advance(Duration.ofSeconds(10));
        assertThat(failureOf(() -> fx.messaging.send(bob, CoreFixture.text(g, "3").build())).retryAfterMs())
                .isEqualTo(20_000);
        fx.clock.advance(Duration.ofSeconds(20));
        assertThat(fx.send(bob, g, "later").seq()).isPositive();
    }

    @Test
    void aSendThatWasNeverStoredDoesNotCountAgainstSlowMode() {
        update(alice, slowMode(30));
        fx.store.refuseWrites("disk full");
        assertThat(sendCode(bob)).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
        fx.store.refuseWrites(null);
        // STORAGE_UNAVAILABLE is retryable: the retry must not be refused for the send that failed.
        long seq = fx.send(bob, g, "retry").seq();
        assertThat(newest(alice).seq()).isEqualTo(seq);
        assertThat(sendCode(bob)).isEqualTo(ErrorCode.SLOW_MODE);
    }

    @Test
    void ownersAndAdminsAreExemptFromSlowMode() {
        update(alice, slowMode(60));
        fx.send(carol, g, "1");
        fx.send(carol, g, "2");
        fx.send(alice, g, "3");
        assertThat(fx.send(alice, g, "4").seq()).isEqualTo(fx.store.lastSeq(g));
    }

    @Test
    void aBannedUserCannotBeAddedOrJoinByInviteUntilUnbanned() {
        await(fx.groups.removeMember(alice, g, "bob", true));
        assertThat(sendCode(bob)).isEqualTo(ErrorCode.NOT_MEMBER);
        assertThat(codeOf(() -> fx.groups.addMember(carol, g, "bob", MemberRole.MEMBER))).isEqualTo(ErrorCode.BANNED);
        String token = await(fx.invites.create(alice, g)).token();
        assertThat(codeOf(() -> fx.invites.join(bob, token))).isEqualTo(ErrorCode.BANNED);
        await(fx.groups.unban(carol, g, "bob"));
        await(fx.invites.join(bob, token));
        assertThat(fx.send(bob, g, "back").seq()).isPositive();
    }

    @Test
    void aMemberWhoLeavesIsToldAndCanNoLongerSend() {
        Committed left = await(fx.groups.leave(bob, g));
        assertThat(sendCode(bob)).isEqualTo(ErrorCode.NOT_MEMBER);
        MessageView service = newest(alice);
        assertThat(service.seq()).isEqualTo(left.seq());
        assertThat(Views.service(service).type()).isEqualTo(ServiceEvent.Type.MEMBER_LEFT);
        assertThat(Views.service(service).targetUserId()).isEqualTo(bob.userId());
        // The leaver's own log has the departure, so their other devices learn of it.
        assertThat(fx.store.updatesAfter(bob.userId(), 0, 100).getLast().seq()).isEqualTo(left.seq());
        assertThat(codeOf(() -> fx.groups.leave(bob, g))).isEqualTo(ErrorCode.NOT_MEMBER);
    }

    @Test
    void whenTheOwnerLeavesTheLongestStandingAdminTakesOver() {
        await(fx.groups.leave(alice, g));
        assertThat(fx.groups.members(carol, g, 0, 10).members()).extracting(MemberView::username, MemberView::role)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("bob", MemberRole.MEMBER),
                        org.assertj.core.groups.Tuple.tuple("carol", MemberRole.OWNER));
    }

    @Test
    void promotionLetsAMemberPinAndDemotionTakesItBack() {
        long seq = fx.send(bob, g, "pin me").seq();
        assertThat(codeOf(() -> fx.pins.pin(bob, g, seq, false))).isEqualTo(ErrorCode.FORBIDDEN);
        await(fx.settings.setRole(alice, g, "bob", MemberRole.ADMIN));
        assertThat(roleOf("bob")).isEqualTo(MemberRole.ADMIN);
        await(fx.pins.pin(bob, g, seq, false));
        await(fx.settings.setRole(alice, g, "bob", MemberRole.MEMBER));
        assertThat(codeOf(() -> fx.pins.pin(bob, g, seq, true))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(fx.groups.info(alice, g).pinnedSeqs()).containsExactly(seq);
    }

    @Test
    void onlyTheOwnerChangesRolesAndHandingOverMakesTheOwnerAnAdmin() {
        assertThat(codeOf(() -> fx.settings.setRole(carol, g, "bob", MemberRole.ADMIN))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(codeOf(() -> fx.settings.setRole(bob, g, "carol", MemberRole.MEMBER))).isEqualTo(ErrorCode.FORBIDDEN);
        await(fx.settings.setRole(alice, g, "bob", MemberRole.OWNER));
        assertThat(roleOf("bob")).isEqualTo(MemberRole.OWNER);
        assertThat(roleOf("alice")).isEqualTo(MemberRole.ADMIN);
        // A role change is a service message every member sees.
        ServiceEvent handedOver = Views.service(newest(carol));
        assertThat(handedOver.type()).isEqualTo(ServiceEvent.Type.ROLE_CHANGED);
        assertThat(handedOver.targetUsername()).isEqualTo("bob");
        assertThat(handedOver.role()).isEqualTo(MemberRole.OWNER);
    }

    @Test
    void membershipChangesNeedARoleAboveTheTarget() {
        assertThat(codeOf(() -> fx.groups.addMember(bob, g, "eve_is_absent", MemberRole.MEMBER)))
                .isEqualTo(ErrorCode.USER_NOT_FOUND);
        fx.user("dave");
        assertThat(codeOf(() -> fx.groups.addMember(bob, g, "dave", MemberRole.MEMBER))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(codeOf(() -> fx.groups.addMember(carol, g, "dave", MemberRole.ADMIN))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(codeOf(() -> fx.groups.addMember(carol, g, "bob", MemberRole.MEMBER))).isEqualTo(ErrorCode.ALREADY_MEMBER);
        assertThat(codeOf(() -> fx.groups.removeMember(carol, g, "alice"))).isEqualTo(ErrorCode.FORBIDDEN);
        await(fx.groups.removeMember(carol, g, "bob"));
        assertThat(sendCode(bob)).isEqualTo(ErrorCode.NOT_MEMBER);
    }

    @Test
    void aNewcomerSeesTheConversationFromTheirJoinOn() {
        long early = fx.send(alice, g, "before carol's friend").seq();
        Principal dave = fx.user("dave");
        Committed added = await(fx.groups.addMember(alice, g, "dave", MemberRole.MEMBER));
        assertThat(fx.history(dave, g).messages()).extracting(MessageView::seq).containsExactly(added.seq());
        assertThat(codeOf(() -> fx.edits.react(dave, g, early, "👍", false))).isEqualTo(ErrorCode.MESSAGE_NOT_FOUND);
        assertThat(fx.send(dave, g, "hello").seq()).isEqualTo(added.seq() + 1);
    }

    @Test
    void aSettingsChangeIsAServiceMessageAndANoOpChangeMakesNone() {
        Committed changed = update(carol, title("renamed"));
        assertThat(changed.pts()).isPositive();
        assertThat(fx.groups.info(bob, g).title()).isEqualTo("renamed");
        assertThat(Views.service(newest(bob)).title()).isEqualTo("renamed");
        long last = fx.store.lastSeq(g);
        Committed same = update(carol, title("renamed"));
        assertThat(same.pts()).isZero();
        assertThat(fx.store.lastSeq(g)).isEqualTo(last);
        assertThat(codeOf(() -> fx.settings.update(bob, title("mine")))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(codeOf(() -> fx.settings.update(alice, title(" ")))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void aRevokedInviteNoLongerOpensTheGroup() {
        String token = await(fx.invites.create(carol, g)).token();
        Principal dave = fx.user("dave");
        await(fx.invites.revoke(alice, g, token));
        assertThat(codeOf(() -> fx.invites.join(dave, token))).isEqualTo(ErrorCode.INVITE_INVALID);
        assertThat(codeOf(() -> fx.invites.join(dave, "no-such-token"))).isEqualTo(ErrorCode.INVITE_INVALID);
        assertThat(codeOf(() -> fx.invites.create(bob, g))).isEqualTo(ErrorCode.FORBIDDEN);
    }
}
