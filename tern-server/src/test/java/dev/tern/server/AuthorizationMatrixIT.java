package dev.tern.server;

import dev.tern.client.TernClient;
import dev.tern.core.store.MemberRole;
import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.ServerFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.tern.server.BadInputIT.parse;
import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every request type of the protocol and every HTTP endpoint, asked by an anonymous connection, a
 * user outside the conversation, a removed member and a member without admin rights: each gets the
 * documented refusal, a missing conversation answers exactly like someone else's, and no answer to
 * them carries the group's title, its other members' names or a message body.
 */
class AuthorizationMatrixIT {
    private static final String TITLE = "Secret Plans";
    private static final String BODY = "top secret body";
    private static final String LATER = "after rex left";

    @TempDir
    Path dir;

    /** A request under test: JSON with {G} (the group), {D} (olga and mia's direct chat), {X} (no such conversation). */
    private record Req(ClientFrame.BodyCase type, String json) {}

    private static final List<Req> CONVERSATION_REQUESTS = List.of(
            new Req(ClientFrame.BodyCase.SEND, "{\"id\":\"$\",\"send\":{\"conversationId\":\"{C}\",\"clientMsgId\":\"$\",\"contentType\":\"text/plain\",\"text\":\"probe\"}}"),
            new Req(ClientFrame.BodyCase.HISTORY, "{\"id\":\"$\",\"history\":{\"conversationId\":\"{C}\",\"limit\":50}}"),
            new Req(ClientFrame.BodyCase.GET_CONVERSATION, "{\"id\":\"$\",\"getConversation\":{\"conversationId\":\"{C}\"}}"),
            new Req(ClientFrame.BodyCase.ADD_MEMBER, "{\"id\":\"$\",\"addMember\":{\"conversationId\":\"{C}\",\"username\":\"ned\"}}"),
            new Req(ClientFrame.BodyCase.REMOVE_MEMBER, "{\"id\":\"$\",\"removeMember\":{\"conversationId\":\"{C}\",\"username\":\"olga\"}}"),
            new Req(ClientFrame.BodyCase.LEAVE, "{\"id\":\"$\",\"leave\":{\"conversationId\":\"{C}\"}}"),
            new Req(ClientFrame.BodyCase.MARK_READ, "{\"id\":\"$\",\"markRead\":{\"conversationId\":\"{C}\",\"upToSeq\":\"1\"}}"),
            new Req(ClientFrame.BodyCase.TYPING, "{\"id\":\"$\",\"typing\":{\"conversationId\":\"{C}\"}}"),
            new Req(ClientFrame.BodyCase.EDIT_MESSAGE, "{\"id\":\"$\",\"editMessage\":{\"conversationId\":\"{C}\",\"seq\":\"2\",\"text\":\"probe\"}}"),
            new Req(ClientFrame.BodyCase.REACT, "{\"id\":\"$\",\"react\":{\"conversationId\":\"{C}\",\"seq\":\"2\",\"emoji\":\"x\"}}"),
            new Req(ClientFrame.BodyCase.GET_REACTIONS, "{\"id\":\"$\",\"getReactions\":{\"conversationId\":\"{C}\",\"seq\":\"2\"}}"),
            new Req(ClientFrame.BodyCase.PIN_MESSAGE, "{\"id\":\"$\",\"pinMessage\":{\"conversationId\":\"{C}\",\"seq\":\"2\"}}"),
            new Req(ClientFrame.BodyCase.DELETE_FOR_ME, "{\"id\":\"$\",\"deleteForMe\":{\"conversationId\":\"{C}\",\"seqs\":[\"2\"]}}"),
            new Req(ClientFrame.BodyCase.RECALL_MESSAGE, "{\"id\":\"$\",\"recallMessage\":{\"conversationId\":\"{C}\",\"seq\":\"2\"}}"),
            // A reply to and a forward of the group's message (seq 2).
            new Req(ClientFrame.BodyCase.SEND, "{\"id\":\"$\",\"send\":{\"conversationId\":\"{C}\",\"clientMsgId\":\"$\",\"contentType\":\"text/plain\",\"text\":\"probe\",\"replyToSeq\":\"2\"}}"),
            new Req(ClientFrame.BodyCase.SEND, "{\"id\":\"$\",\"send\":{\"peer\":\"olga\",\"clientMsgId\":\"$\",\"forward\":{\"conversationId\":\"{C}\",\"seq\":\"2\"}}}"),
            new Req(ClientFrame.BodyCase.UPDATE_GROUP, "{\"id\":\"$\",\"updateGroup\":{\"conversationId\":\"{C}\",\"title\":\"probe\"}}"),
            new Req(ClientFrame.BodyCase.SET_ROLE, "{\"id\":\"$\",\"setRole\":{\"conversationId\":\"{C}\",\"username\":\"mia\",\"role\":\"ADMIN\"}}"),
            new Req(ClientFrame.BodyCase.CREATE_INVITE, "{\"id\":\"$\",\"createInvite\":{\"conversationId\":\"{C}\"}}"),
            new Req(ClientFrame.BodyCase.UNBAN, "{\"id\":\"$\",\"unban\":{\"conversationId\":\"{C}\",\"username\":\"ned\"}}"),
            new Req(ClientFrame.BodyCase.REVOKE_INVITE, "{\"id\":\"$\",\"revokeInvite\":{\"conversationId\":\"{C}\",\"token\":\"AAAAAAAAAAAAAAAAAAAAAA\"}}"),
            new Req(ClientFrame.BodyCase.GET_MEMBERS, "{\"id\":\"$\",\"getMembers\":{\"conversationId\":\"{C}\"}}"),
            new Req(ClientFrame.BodyCase.UPDATE_DIALOG, "{\"id\":\"$\",\"updateDialog\":{\"conversationId\":\"{C}\",\"pinned\":true}}"),
            new Req(ClientFrame.BodyCase.GET_CHANGES, "{\"id\":\"$\",\"getChanges\":{\"conversationId\":\"{C}\"}}"),
            new Req(ClientFrame.BodyCase.SEARCH_MESSAGES, "{\"id\":\"$\",\"searchMessages\":{\"query\":\"secret\",\"conversationId\":\"{C}\"}}"),
            new Req(ClientFrame.BodyCase.MARK_DELIVERED, "{\"id\":\"$\",\"markDelivered\":{\"conversationId\":\"{C}\",\"upToSeq\":\"1\"}}"));

    /** Requests that need a session but name no conversation. */
    private static final List<Req> SESSION_REQUESTS = List.of(
            new Req(ClientFrame.BodyCase.SYNC, "{\"id\":\"$\",\"sync\":{\"afterPts\":\"0\"}}"),
            new Req(ClientFrame.BodyCase.PRESENCE, "{\"id\":\"$\",\"presence\":{\"usernames\":[\"olga\"]}}"),
            new Req(ClientFrame.BodyCase.CREATE_GROUP, "{\"id\":\"$\",\"createGroup\":{\"title\":\"x\"}}"),
            new Req(ClientFrame.BodyCase.LOGOUT, "{\"id\":\"$\",\"logout\":{}}"),
            new Req(ClientFrame.BodyCase.JOIN_BY_INVITE, "{\"id\":\"$\",\"joinByInvite\":{\"token\":\"AAAAAAAAAAAAAAAAAAAAAA\"}}"),
            new Req(ClientFrame.BodyCase.BLOCK, "{\"id\":\"$\",\"block\":{\"username\":\"olga\"}}"),
            new Req(ClientFrame.BodyCase.GET_BLOCKED, "{\"id\":\"$\",\"getBlocked\":{}}"),
            new Req(ClientFrame.BodyCase.CONTACT, "{\"id\":\"$\",\"contact\":{\"username\":\"olga\"}}"),
            new Req(ClientFrame.BodyCase.GET_CONTACTS, "{\"id\":\"$\",\"getContacts\":{}}"),
            new Req(ClientFrame.BodyCase.SET_PRIVACY, "{\"id\":\"$\",\"setPrivacy\":{\"lastSeen\":\"NOBODY\"}}"),
            new Req(ClientFrame.BodyCase.GET_PRIVACY, "{\"id\":\"$\",\"getPrivacy\":{}}"),
            new Req(ClientFrame.BodyCase.GET_DIALOGS, "{\"id\":\"$\",\"getDialogs\":{}}"),
            new Req(ClientFrame.BodyCase.CREATE_CHANNEL, "{\"id\":\"$\",\"createChannel\":{\"title\":\"x\"}}"),
            new Req(ClientFrame.BodyCase.JOIN_CHANNEL, "{\"id\":\"$\",\"joinChannel\":{\"publicName\":\"secret_plans\"}}"),
            new Req(ClientFrame.BodyCase.SEARCH_CHANNELS, "{\"id\":\"$\",\"searchChannels\":{\"prefix\":\"se\"}}"),
            new Req(ClientFrame.BodyCase.SEARCH_USERS, "{\"id\":\"$\",\"searchUsers\":{\"query\":\"ol\"}}"),
            new Req(ClientFrame.BodyCase.SEARCH_MESSAGES, "{\"id\":\"$\",\"searchMessages\":{\"query\":\"secret\"}}"),
            new Req(ClientFrame.BodyCase.CHANGE_PASSWORD, "{\"id\":\"$\",\"changePassword\":{\"oldPassword\":\"a\",\"newPassword\":\"bbbbbbbbbb\"}}"));

    /** Requests an anonymous connection may make. */
    private static final Set<ClientFrame.BodyCase> ANONYMOUS_OK = EnumSet.of(ClientFrame.BodyCase.HELLO,
            ClientFrame.BodyCase.REGISTER, ClientFrame.BodyCase.LOGIN, ClientFrame.BodyCase.RESUME, ClientFrame.BodyCase.PING);

    private int ids;

    private ServerFrame ask(RawSocket s, String json, String conversation) throws Exception {
        return ask(s, json, conversation, true);
    }

    private ServerFrame ask(RawSocket s, String json, String conversation, boolean mustNotLeak) throws Exception {
        String id = "q" + (++ids);
        s.send(json.replace("{C}", conversation).replace("$", id));
        while (true) {
            String text = s.next();
            ServerFrame f = parse(text);
            if (f.getId().equals(id)) {
                if (mustNotLeak) {
                    assertNothingLeaks(text);
                }
                return f;
            }
        }
    }

    private static void assertNothingLeaks(String text) {
        assertThat(text).doesNotContain(TITLE).doesNotContain(BODY).doesNotContain(LATER);
    }

    private static RawSocket login(TestNode node, String name) throws Exception {
        RawSocket s = RawSocket.json(node.uri());
        s.send("{\"id\":\"login\",\"login\":{\"username\":\"" + name + "\",\"password\":\"password-" + name + "\"}}");
        assertThat(parse(s.next()).hasSession()).isTrue();
        return s;
    }

    @Test
    void everyRequestTypeIsRefusedToWhoeverMayNotSeeTheConversation() throws Exception {
        // Every request type is in one of the lists (a new type must be added to the matrix).
        Set<ClientFrame.BodyCase> covered = EnumSet.copyOf(ANONYMOUS_OK);
        CONVERSATION_REQUESTS.forEach(r -> covered.add(r.type()));
        SESSION_REQUESTS.forEach(r -> covered.add(r.type()));
        Set<ClientFrame.BodyCase> all = EnumSet.allOf(ClientFrame.BodyCase.class);
        all.remove(ClientFrame.BodyCase.BODY_NOT_SET);
        assertThat(covered).containsExactlyInAnyOrderElementsOf(all);

        try (TestNode node = TestNode.start(dir)) {
            for (String name : List.of("mia", "rex", "ned")) {
                node.user(name, new Recorder()).close();
            }
            TernClient olga = node.user("olga", new Recorder());
            long group = get(olga.createGroup(TITLE, List.of("mia", "rex"))).getConversationId();
            get(olga.sendText(group, BODY));
            long direct = get(olga.sendTextTo("mia", BODY)).getConversationId();
            get(olga.removeMember(group, "rex"));
            get(olga.sendText(group, LATER));
            String g = Long.toString(group);
            String d = Long.toString(direct);
            String missing = Long.toString(direct + group + 1000);

            try (RawSocket anon = RawSocket.json(node.uri()); RawSocket ned = login(node, "ned");
                 RawSocket rex = login(node, "rex"); RawSocket mia = login(node, "mia")) {
                // Anonymous: every request that needs a session is NOT_AUTHENTICATED.
                for (Req r : concat(CONVERSATION_REQUESTS, SESSION_REQUESTS)) {
                    assertThat(ask(anon, r.json(), g).getError().getCode()).as("anonymous %s", r.type())
                            .isEqualTo(ErrorCode.NOT_AUTHENTICATED);
                }
                // Outsider and removed member: NOT_MEMBER for every conversation request, exactly the
                // answer a conversation that does not exist gets (no existence oracle).
                for (Map.Entry<String, RawSocket> who : Map.of("ned", ned, "rex", rex).entrySet()) {
                    for (Req r : CONVERSATION_REQUESTS) {
                        ServerFrame onGroup = ask(who.getValue(), r.json(), g);
                        ServerFrame onMissing = ask(who.getValue(), r.json(), missing);
                        assertThat(onGroup.getError().getCode()).as("%s %s", who.getKey(), r.type()).isEqualTo(ErrorCode.NOT_MEMBER);
                        assertThat(onGroup.getError().getMessage()).isEqualTo(onMissing.getError().getMessage());
                        assertThat(onMissing.getError().getCode()).isEqualTo(ErrorCode.NOT_MEMBER);
                        if (who.getKey().equals("ned")) {
                            ServerFrame onDirect = ask(ned, r.json(), d);
                            assertThat(onDirect.getError().getCode()).as("ned %s on a direct chat", r.type())
                                    .isEqualTo(ErrorCode.NOT_MEMBER);
                        }
                    }
                    // Presence of a user who shares nothing with the caller reads "offline, never seen".
                    ServerFrame presence = ask(who.getValue(), SESSION_REQUESTS.get(1).json(), g);
                    assertThat(presence.getPresenceResult().getPresencesList()).allSatisfy(p -> {
                        assertThat(p.getOnline()).isFalse();
                        assertThat(p.getLastSeenMs()).isZero();
                    });
                }
                // The removed member's own log holds what rex saw as a member, and ends at the removal.
                String rexLog = ask(rex, SESSION_REQUESTS.getFirst().json(), g, false).toString();
                assertThat(rexLog).contains(BODY).doesNotContain(LATER);
                // Neither's conversation list names the group; the private group is no public channel.
                for (RawSocket who : List.of(ned, rex)) {
                    ServerFrame dialogs = ask(who, "{\"id\":\"$\",\"getDialogs\":{}}", g);
                    assertThat(dialogs.getDialogsResult().getDialogsList()).noneMatch(x -> x.getConversationId() == group);
                    assertThat(ask(who, "{\"id\":\"$\",\"joinChannel\":{\"publicName\":\"secret_plans\"}}", g)
                            .getError().getCode()).isEqualTo(ErrorCode.CHANNEL_NOT_FOUND);
                    assertThat(ask(who, "{\"id\":\"$\",\"searchChannels\":{\"prefix\":\"secret\"}}", g)
                            .getChannelsResult().getChannelsList()).isEmpty();
                }
                // The outsider's log has nothing of the group at all.
                String nedsLog = ask(ned, SESSION_REQUESTS.getFirst().json(), g).toString();
                assertThat(nedsLog).doesNotContain(g + "\n").doesNotContain(BODY);

                // A member without admin rights: membership changes of others are FORBIDDEN; the rest works.
                assertThat(ask(mia, CONVERSATION_REQUESTS.get(3).json(), g).getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
                assertThat(ask(mia, CONVERSATION_REQUESTS.get(4).json(), g).getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
                // Nor may she edit or delete for everyone another member's message.
                assertThat(ask(mia, CONVERSATION_REQUESTS.get(8).json(), g).getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
                assertThat(ask(mia, CONVERSATION_REQUESTS.get(13).json(), g).getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
                // Nor change the group or anyone's role.
                assertThat(ask(mia, CONVERSATION_REQUESTS.get(16).json(), g).getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
                assertThat(ask(mia, CONVERSATION_REQUESTS.get(17).json(), g).getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
                // Nor manage invites or bans.
                assertThat(ask(mia, CONVERSATION_REQUESTS.get(18).json(), g).getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
                assertThat(ask(mia, CONVERSATION_REQUESTS.get(19).json(), g).getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
                assertThat(ask(mia, CONVERSATION_REQUESTS.get(20).json(), g).getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
                // Nor pin in a group.
                assertThat(ask(mia, CONVERSATION_REQUESTS.get(11).json(), g).getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
                mia.send("{\"id\":\"h\",\"history\":{\"conversationId\":\"" + g + "\",\"limit\":50}}");
                String history = mia.next();
                assertThat(history).contains(BODY).contains(LATER); // a member does see it: the probe can fail
                assertThat(ask(mia, CONVERSATION_REQUESTS.get(2).json(), g, false).getConversation().getTitle()).isEqualTo(TITLE);

                // Search without a conversation filter: mia finds the group's messages (the probe can
                // succeed once the index has them), the removed member and the outsider none of them.
                String search = "{\"id\":\"$\",\"searchMessages\":{\"query\":\"{W}\"}}";
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() ->
                        ask(mia, search.replace("{W}", "rex"), g, false).getSearchResult().toString().contains(LATER));
                assertThat(ask(mia, search.replace("{W}", "secret"), g, false).getSearchResult().toString()).contains(BODY);
                for (RawSocket outside : List.of(rex, ned)) {
                    for (String word : List.of("secret", "rex", "plans")) {
                        assertThat(ask(outside, search.replace("{W}", word), g).getSearchResult().getMessagesList()).isEmpty();
                    }
                }
            }
            olga.close();
        }
    }

    @Test
    void theCoreRefusesEveryDataAccessWithoutAPrincipal() {
        try (TestNode node = TestNode.start(dir)) {
            dev.tern.core.node.Core core = node.server.core();
            List<Runnable> calls = List.of(
                    () -> core.catchup().sync(null, 0, 10),
                    () -> core.catchup().history(null, 1, 0, 10),
                    () -> core.receipts().markRead(null, 1, 1),
                    () -> core.receipts().markDelivered(null, 1, 1),
                    () -> core.messaging().send(null, new dev.tern.core.message.Outgoing(1, null, "x", "text/plain",
                            "t", null, false, 0, null, "")),
                    () -> core.groups().info(null, 1),
                    () -> core.groups().leave(null, 1),
                    () -> core.groups().addMember(null, 1, "a", MemberRole.MEMBER),
                    () -> core.groups().removeMember(null, 1, "a"),
                    () -> core.groups().create(null, new dev.tern.core.group.NewGroup("t", List.of(), "")),
                    () -> core.presence().typing(null, 1, false),
                    () -> core.accounts().logout(null, null),
                    () -> core.accounts().changePassword(null, "a", "b", null),
                    () -> core.edits().edit(null, new dev.tern.core.message.Edit(1, 1, "", "t", null)),
                    () -> core.edits().recall(null, 1, 1),
                    () -> core.edits().react(null, 1, 1, "x", false),
                    () -> core.pins().pin(null, 1, 1, false),
                    () -> core.invites().create(null, 1),
                    () -> core.blocks().block(null, "a", false),
                    () -> core.blocks().blocked(null),
                    () -> core.privacy().contact(null, "a", false),
                    () -> core.privacy().contacts(null),
                    () -> core.privacy().set(null, null, null),
                    () -> core.privacy().get(null),
                    () -> core.invites().join(null, "x"),
                    () -> core.groups().unban(null, 1, "a"),
                    () -> core.groups().members(null, 1, 0, 10),
                    () -> core.settings().update(null, new dev.tern.core.group.GroupChange(1, null, null, null, null)),
                    () -> core.settings().setRole(null, 1, "a", MemberRole.ADMIN),
                    () -> core.edits().deleteForMe(null, 1, List.of(1L)),
                    () -> core.edits().reactions(null, 1, 1, "", 0, 0),
                    () -> core.channels().create(null, new dev.tern.core.group.NewChannel("t", "", "", "")),
                    () -> core.channels().join(null, "abcde"),
                    () -> core.channels().search(null, "ab", 10),
                    () -> core.dialogs().list(null, false, 0, 0, 0),
                    () -> core.catchup().changes(null, 1, 0, 10),
                    () -> core.uploads().create(null, 10, "text/plain", "a.txt"),
                    () -> core.uploads().get(null, "0".repeat(32)),
                    () -> core.dialogs().update(null, new dev.tern.core.inbox.DialogChange(1, null, null, null, null)),
                    () -> core.search().messages(null, new dev.tern.core.search.MessageQuery("x", 0, 0, null, 0, 0, "", 0)),
                    () -> core.search().users(null, "xy", 0));
            for (Runnable call : calls) {
                org.assertj.core.api.Assertions.assertThatThrownBy(call::run)
                        .isInstanceOfSatisfying(dev.tern.core.Failure.class,
                                f -> assertThat(f.code()).isEqualTo(dev.tern.core.ErrorCode.NOT_AUTHENTICATED));
            }
        }
    }

    @Test
    void httpEndpointsServeNoUserData() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (TestNode node = TestNode.start(dir, Map.of("admin.token", "an-admin-token-for-tests"))) {
            TernClient olga = node.user("olga", new Recorder());
            node.user("mia", new Recorder()).close();
            get(olga.createGroup(TITLE, List.of("mia")));
            get(olga.sendTextTo("mia", BODY));
            String base = "http://127.0.0.1:" + node.server.address().getPort();
            Map<String, Integer> expected = new LinkedHashMap<>();
            expected.put("/healthz", 200);
            expected.put("/readyz", 200);
            expected.put("/metrics", 200);
            expected.put("/", 200);
            expected.put("/ws", 400);
            expected.put("/admin/backup", 401);
            // Media without a ticket: 401 for every endpoint, and a made-up id tells nothing either way.
            expected.put("/media/" + "0".repeat(32), 401);
            expected.put("/media/" + "0".repeat(32) + "/thumbnail", 401);
            expected.put("/media/" + "0".repeat(32) + "?u=1&exp=99999999999999&sig=forged", 403);
            for (Map.Entry<String, Integer> e : expected.entrySet()) {
                HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + e.getKey())).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(res.statusCode()).as(e.getKey()).isEqualTo(e.getValue());
                assertThat(res.body()).as(e.getKey()).doesNotContain(TITLE).doesNotContain(BODY)
                        .doesNotContain("olga").doesNotContain("mia").doesNotContain("password");
            }
            HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/backup"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(noToken.statusCode()).isEqualTo(401);
            olga.close();
        }
    }

    @SafeVarargs
    private static <T> List<T> concat(List<T>... lists) {
        List<T> out = new ArrayList<>();
        for (List<T> l : lists) {
            out.addAll(l);
        }
        return out;
    }
}
