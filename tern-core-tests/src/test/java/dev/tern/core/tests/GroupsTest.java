package dev.tern.core.tests;

import dev.tern.core.Principal;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Member;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.Ok;
import dev.tern.protocol.v1.Role;
import dev.tern.protocol.v1.ServiceEvent;
import dev.tern.protocol.v1.UpdateGroup;
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
        await(fx.groups.addMember(alice, g, "carol", Role.ADMIN));
    }

    private Ok update(Principal who, UpdateGroup.Builder req) {
        return await(fx.settings.update(who, req.setConversationId(g).build()));
    }

    private Role roleOf(String name) {
        return fx.groups.members(alice, g, 0, 100).getMembersList().stream()
                .filter(m -> m.getUsername().equals(name)).map(Member::getRole).findFirst().orElseThrow();
    }

    private ErrorCode sendCode(Principal who) {
        return codeOf(() -> fx.messaging.send(who, CoreFixture.text(g, "x").build()));
    }

    @Test
    void whenOnlyAdminsPostMembersAreRefused() {
        update(carol, UpdateGroup.newBuilder().setAdminsOnly(true));
        assertThat(sendCode(bob)).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(fx.send(carol, g, "admin").getSeq()).isPositive();
        assertThat(fx.send(alice, g, "owner").getSeq()).isPositive();
        update(alice, UpdateGroup.newBuilder().setAdminsOnly(false));
        assertThat(fx.send(bob, g, "member again").getSeq()).isPositive();
    }

    @Test
    void slowModeLetsAMemberSendOncePerIntervalWithARetryHint() {
        update(alice, UpdateGroup.newBuilder().setSlowModeSeconds(30));
        fx.send(bob, g, "first");
        dev.tern.core.Failure refused = failureOf(() -> fx.messaging.send(bob, CoreFixture.text(g, "2").build()));
        assertThat(refused.code()).isEqualTo(ErrorCode.SLOW_MODE);
        assertThat(refused.retryAfterMs()).isEqualTo(30_000);
        fx.clock.advance(Duration.ofSeconds(10));
        assertThat(failureOf(() -> fx.messaging.send(bob, CoreFixture.text(g, "3").build())).retryAfterMs())
                .isEqualTo(20_000);
        fx.clock.advance(Duration.ofSeconds(20));
        assertThat(fx.send(bob, g, "later").getSeq()).isPositive();
    }

    @Test
    void aSendThatWasNeverStoredDoesNotCountAgainstSlowMode() {
        update(alice, UpdateGroup.newBuilder().setSlowModeSeconds(30));
        fx.store.refuseWrites("disk full");
        assertThat(sendCode(bob)).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
        fx.store.refuseWrites(null);
        // STORAGE_UNAVAILABLE is retryable: the retry must not be refused for the send that failed.
        long seq = fx.send(bob, g, "retry").getSeq();
        assertThat(fx.history(alice, g).getMessages(0).getSeq()).isEqualTo(seq);
        assertThat(sendCode(bob)).isEqualTo(ErrorCode.SLOW_MODE);
    }

    @Test
    void ownersAndAdminsAreExemptFromSlowMode() {
        update(alice, UpdateGroup.newBuilder().setSlowModeSeconds(60));
        fx.send(carol, g, "1");
        fx.send(carol, g, "2");
        fx.send(alice, g, "3");
        assertThat(fx.send(alice, g, "4").getSeq()).isEqualTo(fx.store.lastSeq(g));
    }

    @Test
    void aBannedUserCannotBeAddedOrJoinByInviteUntilUnbanned() {
        await(fx.groups.removeMember(alice, g, "bob", true));
        assertThat(sendCode(bob)).isEqualTo(ErrorCode.NOT_MEMBER);
        assertThat(codeOf(() -> fx.groups.addMember(carol, g, "bob", Role.MEMBER))).isEqualTo(ErrorCode.BANNED);
        String token = await(fx.invites.create(alice, g)).getToken();
        assertThat(codeOf(() -> fx.invites.join(bob, token))).isEqualTo(ErrorCode.BANNED);
        await(fx.groups.unban(carol, g, "bob"));
        await(fx.invites.join(bob, token));
        assertThat(fx.send(bob, g, "back").getSeq()).isPositive();
    }

    @Test
    void aMemberWhoLeavesIsToldAndCanNoLongerSend() {
        Ok left = await(fx.groups.leave(bob, g));
        assertThat(sendCode(bob)).isEqualTo(ErrorCode.NOT_MEMBER);
        Message service = fx.history(alice, g).getMessages(0);
        assertThat(service.getSeq()).isEqualTo(left.getSeq());
        assertThat(service.getService().getType()).isEqualTo(ServiceEvent.Type.MEMBER_LEFT);
        assertThat(service.getService().getTargetUserId()).isEqualTo(bob.userId());
        // The leaver's own log has the departure, so their other devices learn of it.
        assertThat(fx.store.updatesAfter(bob.userId(), 0, 100).getLast().seq()).isEqualTo(left.getSeq());
        assertThat(codeOf(() -> fx.groups.leave(bob, g))).isEqualTo(ErrorCode.NOT_MEMBER);
    }

    @Test
    void whenTheOwnerLeavesTheLongestStandingAdminTakesOver() {
        await(fx.groups.leave(alice, g));
        assertThat(fx.groups.members(carol, g, 0, 10).getMembersList()).extracting(Member::getUsername, Member::getRole)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("bob", Role.MEMBER),
                        org.assertj.core.groups.Tuple.tuple("carol", Role.OWNER));
    }

    @Test
    void promotionLetsAMemberPinAndDemotionTakesItBack() {
        long seq = fx.send(bob, g, "pin me").getSeq();
        assertThat(codeOf(() -> fx.pins.pin(bob, g, seq, false))).isEqualTo(ErrorCode.FORBIDDEN);
        await(fx.settings.setRole(alice, g, "bob", Role.ADMIN));
        assertThat(roleOf("bob")).isEqualTo(Role.ADMIN);
        await(fx.pins.pin(bob, g, seq, false));
        await(fx.settings.setRole(alice, g, "bob", Role.MEMBER));
        assertThat(codeOf(() -> fx.pins.pin(bob, g, seq, true))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(fx.groups.info(alice, g).getPinnedSeqsList()).containsExactly(seq);
    }

    @Test
    void onlyTheOwnerChangesRolesAndHandingOverMakesTheOwnerAnAdmin() {
        assertThat(codeOf(() -> fx.settings.setRole(carol, g, "bob", Role.ADMIN))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(codeOf(() -> fx.settings.setRole(bob, g, "carol", Role.MEMBER))).isEqualTo(ErrorCode.FORBIDDEN);
        await(fx.settings.setRole(alice, g, "bob", Role.OWNER));
        assertThat(roleOf("bob")).isEqualTo(Role.OWNER);
        assertThat(roleOf("alice")).isEqualTo(Role.ADMIN);
        // A role change is a service message every member sees.
        assertThat(fx.history(carol, g).getMessages(0).getService().getType()).isEqualTo(ServiceEvent.Type.ROLE_CHANGED);
    }

    @Test
    void membershipChangesNeedARoleAboveTheTarget() {
        assertThat(codeOf(() -> fx.groups.addMember(bob, g, "eve_is_absent", Role.MEMBER)))
                .isEqualTo(ErrorCode.USER_NOT_FOUND);
        fx.user("dave");
        assertThat(codeOf(() -> fx.groups.addMember(bob, g, "dave", Role.MEMBER))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(codeOf(() -> fx.groups.addMember(carol, g, "dave", Role.ADMIN))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(codeOf(() -> fx.groups.addMember(carol, g, "bob", Role.MEMBER))).isEqualTo(ErrorCode.ALREADY_MEMBER);
        assertThat(codeOf(() -> fx.groups.removeMember(carol, g, "alice"))).isEqualTo(ErrorCode.FORBIDDEN);
        await(fx.groups.removeMember(carol, g, "bob"));
        assertThat(sendCode(bob)).isEqualTo(ErrorCode.NOT_MEMBER);
    }

    @Test
    void aNewcomerSeesTheConversationFromTheirJoinOn() {
        long early = fx.send(alice, g, "before carol's friend").getSeq();
        Principal dave = fx.user("dave");
        Ok added = await(fx.groups.addMember(alice, g, "dave", Role.MEMBER));
        assertThat(fx.history(dave, g).getMessagesList()).extracting(Message::getSeq).containsExactly(added.getSeq());
        assertThat(codeOf(() -> fx.edits.react(dave, g, early, "👍", false))).isEqualTo(ErrorCode.MESSAGE_NOT_FOUND);
        assertThat(fx.send(dave, g, "hello").getSeq()).isEqualTo(added.getSeq() + 1);
    }

    @Test
    void aSettingsChangeIsAServiceMessageAndANoOpChangeMakesNone() {
        Ok changed = update(carol, UpdateGroup.newBuilder().setTitle("renamed"));
        assertThat(changed.getPts()).isPositive();
        assertThat(fx.groups.info(bob, g).getTitle()).isEqualTo("renamed");
        assertThat(fx.history(bob, g).getMessages(0).getService().getTitle()).isEqualTo("renamed");
        long last = fx.store.lastSeq(g);
        Ok same = update(carol, UpdateGroup.newBuilder().setTitle("renamed"));
        assertThat(same.getPts()).isZero();
        assertThat(fx.store.lastSeq(g)).isEqualTo(last);
        assertThat(codeOf(() -> fx.settings.update(bob, UpdateGroup.newBuilder().setConversationId(g)
                .setTitle("mine").build()))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(codeOf(() -> fx.settings.update(alice, UpdateGroup.newBuilder().setConversationId(g)
                .setTitle(" ").build()))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void aRevokedInviteNoLongerOpensTheGroup() {
        String token = await(fx.invites.create(carol, g)).getToken();
        Principal dave = fx.user("dave");
        await(fx.invites.revoke(alice, g, token));
        assertThat(codeOf(() -> fx.invites.join(dave, token))).isEqualTo(ErrorCode.INVITE_INVALID);
        assertThat(codeOf(() -> fx.invites.join(dave, "no-such-token"))).isEqualTo(ErrorCode.INVITE_INVALID);
        assertThat(codeOf(() -> fx.invites.create(bob, g))).isEqualTo(ErrorCode.FORBIDDEN);
    }
}
