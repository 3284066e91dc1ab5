package dev.tern.server;

import dev.tern.client.TernClient;
import dev.tern.protocol.v1.ConversationInfo;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Member;
import dev.tern.protocol.v1.Ok;
import dev.tern.protocol.v1.Role;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.protocol.v1.ServiceEvent;
import dev.tern.protocol.v1.UpdateGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static dev.tern.server.MessageOpsIT.refused;
import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Title, description, roles and posting rules of a group, over real sockets. */
class GroupAdminIT {
    @TempDir
    Path dir;

    final AtomicLong nowMs = new AtomicLong(System.currentTimeMillis());
    final InstantSource clock = () -> Instant.ofEpochMilli(nowMs.get());

    static Role roleOf(ConversationInfo info, String name) {
        return info.getMembersList().stream().filter(m -> m.getUsername().equals(name)).map(Member::getRole)
                .findFirst().orElseThrow();
    }

    static List<ServiceEvent.Type> services(Recorder r, long conversation) {
        return r.updates.stream().filter(u -> u.hasMessage() && u.getMessage().getConversationId() == conversation
                && u.getMessage().hasService()).map(u -> u.getMessage().getService().getType()).toList();
    }

    private int ids;

    private ServerFrame send(RawSocket s, long group, String text) throws Exception {
        String id = "s" + (++ids);
        s.send("{\"id\":\"" + id + "\",\"send\":{\"conversationId\":\"" + group + "\",\"clientMsgId\":\"" + id
                + "\",\"contentType\":\"text/plain\",\"text\":\"" + text + "\"}}");
        while (true) {
            ServerFrame f = BadInputIT.parse(s.next());
            if (f.getId().equals(id)) {
                return f;
            }
        }
    }

    @Test
    void ownerAndAdminsChangeTheGroupMembersPostUnderItsRules() throws Exception {
        long group;
        try (TestNode node = TestNode.start(dir, Map.of(), clock)) {
            Recorder bobSees = new Recorder();
            try (TernClient alice = node.user("alice", new Recorder()); TernClient bob = node.user("bob", bobSees);
                 TernClient carol = node.user("carol", new Recorder())) {
                group = get(alice.createGroup("team", List.of("bob", "carol"))).getConversationId();

                // Title and description: one service message each; a repeat changes nothing.
                assertThat(get(alice.updateGroup(UpdateGroup.newBuilder().setConversationId(group)
                        .setTitle("Team Blue").setDescription("we paint things"))).getPts()).isPositive();
                assertThat(get(alice.updateGroup(UpdateGroup.newBuilder().setConversationId(group)
                        .setTitle("Team Blue"))).getPts()).isZero();
                ConversationInfo info = get(bob.conversation(group));
                assertThat(info.getTitle()).isEqualTo("Team Blue");
                assertThat(info.getDescription()).isEqualTo("we paint things");
                await().atMost(Duration.ofSeconds(10)).until(() -> services(bobSees, group).containsAll(
                        List.of(ServiceEvent.Type.TITLE_CHANGED, ServiceEvent.Type.DESCRIPTION_CHANGED)));

                // Members change nothing; the owner promotes, and then the admin may.
                refused(bob.updateGroup(UpdateGroup.newBuilder().setConversationId(group).setTitle("mine")),
                        ErrorCode.FORBIDDEN);
                refused(bob.setRole(group, "carol", Role.ADMIN), ErrorCode.FORBIDDEN);
                get(alice.setRole(group, "bob", Role.ADMIN));
                assertThat(roleOf(get(carol.conversation(group)), "bob")).isEqualTo(Role.ADMIN);
                get(bob.updateGroup(UpdateGroup.newBuilder().setConversationId(group).setDescription("")));
                refused(bob.setRole(group, "carol", Role.ADMIN), ErrorCode.FORBIDDEN); // the owner only
                await().atMost(Duration.ofSeconds(10)).until(() -> services(bobSees, group).contains(ServiceEvent.Type.ROLE_CHANGED));

                // Admins only: a member's send is refused, an admin's goes through.
                get(alice.updateGroup(UpdateGroup.newBuilder().setConversationId(group).setAdminsOnly(true)));
                try (RawSocket c = login(node, "carol")) {
                    assertThat(send(c, group, "may I?").getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
                    assertThat(get(bob.sendText(group, "admins speak")).getSeq()).isPositive();

                    // Slow mode: one message per 60 s for members; the refusal says how long to wait.
                    get(alice.updateGroup(UpdateGroup.newBuilder().setConversationId(group).setAdminsOnly(false)
                            .setSlowModeSeconds(60)));
                    assertThat(send(c, group, "one").hasSendAck()).isTrue();
                    nowMs.addAndGet(10_000);
                    ServerFrame slow = send(c, group, "two");
                    assertThat(slow.getError().getCode()).isEqualTo(ErrorCode.SLOW_MODE);
                    assertThat(slow.getError().getRetryable()).isTrue();
                    assertThat(slow.getError().getRetryAfterMs()).isEqualTo(50_000);
                    get(bob.sendText(group, "admins are not slowed"));
                    get(bob.sendText(group, "not at all"));
                    nowMs.addAndGet(50_000);
                    assertThat(send(c, group, "two, later").hasSendAck()).isTrue();

                    // Through the SDK the refusal reaches the application at once (the wait is the
                    // group's rule, for the user to see), and the next send, elsewhere, is not held.
                    var held = carol.sendText(group, "three");
                    assertThatThrownBy(() -> held.get(5, java.util.concurrent.TimeUnit.SECONDS))
                            .hasMessageContaining("SLOW_MODE");
                    assertThat(get(carol.sendTextTo("alice", "meanwhile")).getSeq()).isPositive();
                }
                ConversationInfo rules = get(carol.conversation(group));
                assertThat(rules.getAdminsOnly()).isFalse();
                assertThat(rules.getSlowModeSeconds()).isEqualTo(60);

                // Handing the group over: carol becomes owner, alice an admin.
                get(alice.setRole(group, "carol", Role.OWNER));
                ConversationInfo handed = get(bob.conversation(group));
                assertThat(roleOf(handed, "carol")).isEqualTo(Role.OWNER);
                assertThat(roleOf(handed, "alice")).isEqualTo(Role.ADMIN);
                refused(alice.setRole(group, "bob", Role.MEMBER), ErrorCode.FORBIDDEN);

                // Bad values and the wrong kind of conversation.
                refused(carol.updateGroup(UpdateGroup.newBuilder().setConversationId(group).setTitle(" ")),
                        ErrorCode.INVALID_ARGUMENT);
                refused(carol.updateGroup(UpdateGroup.newBuilder().setConversationId(group)
                        .setDescription("x".repeat(1025))), ErrorCode.INVALID_ARGUMENT);
                refused(carol.updateGroup(UpdateGroup.newBuilder().setConversationId(group).setSlowModeSeconds(86_401)),
                        ErrorCode.INVALID_ARGUMENT);
                refused(carol.setRole(group, "carol", Role.MEMBER), ErrorCode.INVALID_ARGUMENT);
                long direct = get(alice.sendTextTo("bob", "hi")).getConversationId();
                refused(alice.updateGroup(UpdateGroup.newBuilder().setConversationId(direct).setTitle("x")),
                        ErrorCode.INVALID_ARGUMENT);
            }
        }
        // The header survives a restart.
        try (TestNode node = TestNode.start(dir, Map.of(), clock); TernClient bob = node.user("bob", new Recorder())) {
            ConversationInfo info = get(bob.conversation(group));
            assertThat(info.getTitle()).isEqualTo("Team Blue");
            assertThat(info.getSlowModeSeconds()).isEqualTo(60);
        }
    }


    @Test
    void inviteLinksBansAndMemberPages() {
        try (TestNode node = TestNode.start(dir, Map.of(), clock)) {
            Recorder bobSees = new Recorder();
            try (TernClient alice = node.user("alice", new Recorder()); TernClient bob = node.user("bob", bobSees);
                 TernClient carol = node.user("carol", new Recorder()); TernClient dave = node.user("dave", new Recorder())) {
                long group = get(alice.createGroup("club", List.of("bob"))).getConversationId();
                long before = get(alice.sendText(group, "before carol")).getSeq();
                dev.tern.protocol.v1.Invite invite = get(alice.createInvite(group));
                assertThat(invite.getToken()).hasSize(22);
                refused(bob.createInvite(group), ErrorCode.FORBIDDEN);

                Ok joined = get(carol.joinByInvite(invite.getToken()));
                assertThat(joined.getConversationId()).isEqualTo(group);
                await().atMost(Duration.ofSeconds(10)).until(() -> services(bobSees, group).contains(ServiceEvent.Type.MEMBER_JOINED));
                assertThat(ConversationIT.all(carol, group)).extracting(dev.tern.protocol.v1.Message::getSeq)
                        .doesNotContain(before).first().isEqualTo(joined.getSeq());
                refused(carol.joinByInvite(invite.getToken()), ErrorCode.ALREADY_MEMBER);

                // Revoked and made-up tokens get the same answer.
                get(alice.revokeInvite(group, invite.getToken()));
                refused(dave.joinByInvite(invite.getToken()), ErrorCode.INVITE_INVALID);
                refused(dave.joinByInvite("AAAAAAAAAAAAAAAAAAAAAA"), ErrorCode.INVITE_INVALID);
                refused(alice.revokeInvite(group, invite.getToken()), ErrorCode.INVITE_INVALID);

                // Members in pages of two, in user-id order.
                var page1 = get(bob.members(group, 0, 2));
                assertThat(page1.getMembersList()).hasSize(2);
                assertThat(page1.getMore()).isTrue();
                var page2 = get(bob.members(group, page1.getMembers(1).getUserId(), 2));
                assertThat(page2.getMembersList()).extracting(Member::getUsername).containsExactly("carol");
                assertThat(page2.getMore()).isFalse();

                // A ban removes and keeps out, through invites and adds, until lifted.
                get(alice.ban(group, "carol"));
                await().atMost(Duration.ofSeconds(10)).until(() -> bobSees.updates.stream().anyMatch(u -> u.hasMessage()
                        && u.getMessage().hasService() && u.getMessage().getService().getBanned()));
                String second = get(alice.createInvite(group)).getToken();
                refused(carol.joinByInvite(second), ErrorCode.BANNED);
                refused(alice.addMember(group, "carol", Role.MEMBER), ErrorCode.BANNED);
                refused(bob.unban(group, "carol"), ErrorCode.FORBIDDEN);
                get(alice.unban(group, "carol"));
                get(carol.joinByInvite(second));
                assertThat(get(alice.conversation(group)).getMembersList()).extracting(Member::getUsername)
                        .contains("carol");
                refused(dave.members(group, 0, 10), ErrorCode.NOT_MEMBER);
            }
        }
    }

    private static RawSocket login(TestNode node, String name) throws Exception {
        RawSocket s = RawSocket.json(node.uri());
        s.send("{\"id\":\"login\",\"login\":{\"username\":\"" + name + "\",\"password\":\"password-" + name + "\"}}");
        assertThat(BadInputIT.parse(s.next()).hasSession()).isTrue();
        return s;
    }
}
