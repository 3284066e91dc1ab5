package dev.tern.server;

import com.google.protobuf.util.JsonFormat;
import dev.tern.client.TernClient;
import dev.tern.client.TernException;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.ServerFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Every kind of bad input gets its documented error code, and the server keeps serving others. */
class BadInputIT {
    @TempDir
    Path dir;
    final AtomicLong now = new AtomicLong(System.currentTimeMillis());
    TestNode node;
    TernClient bystander;
    TernClient bystanderPeer;

    @BeforeEach
    void start() {
        InstantSource clock = () -> Instant.ofEpochMilli(now.get());
        node = TestNode.start(dir, Map.of("timeouts.auth", "1s", "auth.ticket-ttl", "1h"), clock);
        bystander = node.user("bystander", new Recorder());
        bystanderPeer = node.user("peer", new Recorder());
    }

    @AfterEach
    void stop() {
        // The server still serves a well-behaved user after all of it.
        assertThat(get(bystander.sendTextTo("peer", "still fine")).getSeq()).isPositive();
        bystander.close();
        bystanderPeer.close();
        node.close();
    }

    static ServerFrame parse(String json) throws Exception {
        ServerFrame.Builder b = ServerFrame.newBuilder();
        JsonFormat.parser().merge(json, b);
        return b.build();
    }

    static void assertError(String json, String id, ErrorCode code) throws Exception {
        ServerFrame f = parse(json);
        assertThat(f.getError().getCode()).as(json).isEqualTo(code);
        assertThat(f.getId()).isEqualTo(id);
        assertThat(f.getError().getMessage()).isNotBlank();
    }

    @Test
    void malformedUnknownAndUnauthenticatedFramesGetTheirCodesAndTheConnectionStaysUsable() throws Exception {
        try (RawSocket s = RawSocket.json(node.uri())) {
            s.send("{\"id\":\"1\",\"hello\":");
            assertError(s.next(), "1", ErrorCode.MALFORMED_FRAME);
            s.send("not json at all");
            assertError(s.next(), "", ErrorCode.MALFORMED_FRAME);
            s.send("{\"id\":\"2\",\"hello\":{\"protocolVersion\":\"one\"}}");
            assertError(s.next(), "2", ErrorCode.MALFORMED_FRAME);
            s.send("{\"id\":\"3\",\"send\":{\"conversationId\":[1,2]}}");
            assertError(s.next(), "3", ErrorCode.MALFORMED_FRAME);
            s.send("{\"id\":\"4\",\"teleport\":{}}");
            assertError(s.next(), "4", ErrorCode.UNKNOWN_FRAME_TYPE);
            s.send("{\"id\":\"5\",\"hello\":{\"protocolVersion\":1,\"colour\":\"red\"}}");
            assertError(s.next(), "5", ErrorCode.UNKNOWN_FIELD);
            s.send("{\"hello\":{\"protocolVersion\":1}}");
            assertError(s.next(), "", ErrorCode.INVALID_ARGUMENT);
            s.send("{\"id\":\"6\",\"hello\":{\"protocolVersion\":7}}");
            assertError(s.next(), "6", ErrorCode.UNSUPPORTED_VERSION);
            s.send("{\"id\":\"7\",\"sync\":{\"afterPts\":\"0\"}}");
            assertError(s.next(), "7", ErrorCode.NOT_AUTHENTICATED);
            s.send("{\"id\":\"8\",\"history\":{\"conversationId\":\"1\"}}");
            assertError(s.next(), "8", ErrorCode.NOT_AUTHENTICATED);
            // After all that, the same connection still works.
            s.send("{\"id\":\"9\",\"hello\":{\"protocolVersion\":1}}");
            assertThat(parse(s.next()).getWelcome().getProtocolVersion()).isEqualTo(1);
            s.send("{\"id\":\"10\",\"ping\":{}}");
            assertThat(parse(s.next()).hasPong()).isTrue();
        }
    }

    @Test
    void jsonOfTheWrongTypeIsRefusedAndUnknownKeysFollowTheDocumentedRule() throws Exception {
        // The cases a client author found (issue 14): each was once executed or classified unevenly.
        try (RawSocket s = RawSocket.json(node.uri())) {
            s.send("{\"id\":\"r1\",\"register\":{\"username\":12345,\"password\":\"correct horse battery\"}}");
            assertError(s.next(), "r1", ErrorCode.MALFORMED_FRAME);
            s.send("{\"id\":77,\"ping\":{}}");
            assertError(s.next(), "", ErrorCode.MALFORMED_FRAME);
            s.send("{\"id\":\"u5\",\"zzz\":1}");
            assertError(s.next(), "u5", ErrorCode.UNKNOWN_FRAME_TYPE);
            s.send("{\"id\":\"u4\",\"ping\":{},\"zzz\":1}");
            assertError(s.next(), "u4", ErrorCode.UNKNOWN_FIELD);
            // The refused registration created nothing: the name is still free.
            s.send("{\"id\":\"r2\",\"register\":{\"username\":\"12345\",\"password\":\"correct horse battery\"}}");
            assertThat(parse(s.next()).getRegistered().getUsername()).isEqualTo("12345");
        }
    }

    @Test
    void aSubprotocolOfferIsAnsweredAsDocumented() throws Exception {
        // docs/protocol.md, "Transport": the first known name of the offer is selected; an offer of
        // unknown names only still upgrades, but without the header that standard clients require.
        assertThat(upgrade("tern.v2.proto, tern.v1.proto")).contains("\r\nsec-websocket-protocol: tern.v1.proto\r\n");
        assertThat(upgrade("tern.v1.json")).contains("\r\nsec-websocket-protocol: tern.v1.json\r\n");
        assertThat(upgrade("tern.v2.json")).startsWith("http/1.1 101").doesNotContain("sec-websocket-protocol");
    }

    /** The head of the server's answer to a WebSocket upgrade with this offer, in lower case. */
    private String upgrade(String offer) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", node.uri().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: " + offer + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            StringBuilder head = new StringBuilder();
            java.io.InputStream in = socket.getInputStream();
            while (head.indexOf("\r\n\r\n") < 0) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.append((char) b);
            }
            return head.toString().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Test
    void binaryGarbageIsMalformed() throws Exception {
        try (RawSocket s = RawSocket.binary(node.uri())) {
            s.ws.sendBinary(ByteBuffer.wrap(new byte[]{(byte) 0xff, (byte) 0xff, 0x01, 0x02}), true).get(5, TimeUnit.SECONDS);
            assertThat(parse(s.next()).getError().getCode()).isEqualTo(ErrorCode.MALFORMED_FRAME);
            // Field 99 is not defined in ClientFrame: unknown frame type.
            s.ws.sendBinary(ByteBuffer.wrap(new byte[]{0x0a, 0x01, 0x78, (byte) 0x9a, 0x06, 0x00}), true).get(5, TimeUnit.SECONDS);
            ServerFrame f = parse(s.next());
            assertThat(f.getError().getCode()).isEqualTo(ErrorCode.UNKNOWN_FRAME_TYPE);
            assertThat(f.getId()).isEqualTo("x");
        }
    }

    @Test
    void anOversizedFrameGetsFrameTooLargeAndClose1009() throws Exception {
        try (RawSocket s = RawSocket.json(node.uri())) {
            String huge = "{\"id\":\"big\",\"hello\":{\"client\":\"" + "x".repeat(200_000) + "\"}}";
            s.ws.sendText(huge, true);
            ServerFrame bye = parse(s.next());
            assertThat(bye.getGoodbye().getReason()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
            assertThat(s.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1009);
        }
    }

    @Test
    void aConnectionThatNeverAuthenticatesIsClosed() throws Exception {
        try (RawSocket s = RawSocket.json(node.uri())) {
            ServerFrame bye = parse(s.next());
            assertThat(bye.getGoodbye().getReason()).isEqualTo(ErrorCode.AUTH_TIMEOUT);
            assertThat(s.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(4000 + ErrorCode.AUTH_TIMEOUT_VALUE);
        }
    }

    @Test
    void credentialsAndUsernamesAreChecked() {
        TernClient c = node.client(new Recorder());
        assertCode(() -> get(c.register("ab", "long-enough-password")), ErrorCode.USERNAME_INVALID);
        assertCode(() -> get(c.register("has space", "long-enough-password")), ErrorCode.USERNAME_INVALID);
        assertCode(() -> get(c.register("x".repeat(33), "long-enough-password")), ErrorCode.USERNAME_INVALID);
        assertCode(() -> get(c.register("BYSTANDER", "long-enough-password")), ErrorCode.USERNAME_TAKEN);
        assertCode(() -> get(c.register("newbie", "short")), ErrorCode.PASSWORD_INVALID);
        assertCode(() -> get(c.login("bystander", "wrong password", "")), ErrorCode.BAD_CREDENTIALS);
        assertCode(() -> get(c.login("no_such_user", "wrong password", "")), ErrorCode.BAD_CREDENTIALS);
        assertCode(() -> get(c.resume("forged-ticket", -1)), ErrorCode.TICKET_INVALID);
        // Mixed case registers the canonical name and logs in with any case.
        get(c.register("Mixed.Case_1", "long-enough-password"));
        assertThat(get(c.login("MIXED.case_1", "long-enough-password", "")).getUsername()).isEqualTo("mixed.case_1");
        assertCode(() -> get(c.login("mixed.case_1", "long-enough-password", "")), ErrorCode.ALREADY_AUTHENTICATED);
        c.close();
    }

    @Test
    void revokedAndExpiredTicketsAreRefused() {
        TernClient a = node.user("alice", new Recorder());
        String ticket = a.ticket();
        Recorder other = new Recorder();
        TernClient sameTicket = node.client(other);
        get(sameTicket.resume(ticket, -1));
        get(a.logout());
        // The other connection of that ticket is told and closed.
        await().atMost(Duration.ofSeconds(10)).until(() -> !other.goodbyes.isEmpty());
        assertThat(other.goodbyes.getFirst().getReason()).isEqualTo(ErrorCode.SESSION_REVOKED);
        TernClient fresh = node.client(new Recorder());
        assertCode(() -> get(fresh.resume(ticket, -1)), ErrorCode.TICKET_INVALID);
        // After logout the connection is anonymous again.
        assertCode(() -> get(a.sync(0, 10)), ErrorCode.NOT_AUTHENTICATED);

        TernClient b = node.user("bob", new Recorder());
        String bobTicket = b.ticket();
        now.addAndGet(Duration.ofHours(2).toMillis());
        assertCode(() -> get(fresh.resume(bobTicket, -1)), ErrorCode.TICKET_EXPIRED);
        for (TernClient x : List.of(a, sameTicket, fresh, b)) {
            x.close();
        }
    }

    @Test
    void strangersCannotReadOrWriteAConversation() {
        TernClient a = node.user("alice", new Recorder());
        TernClient b = node.user("bob", new Recorder());
        TernClient eve = node.user("eve", new Recorder());
        long chat = get(a.sendTextTo("bob", "private")).getConversationId();
        long group = get(a.createGroup("secret", List.of("bob"))).getConversationId();
        for (long c : new long[]{chat, group, 987_654}) {
            assertCode(() -> get(eve.sendText(c, "let me in")), ErrorCode.NOT_MEMBER);
            assertCode(() -> get(eve.history(c, 0, 10)), ErrorCode.NOT_MEMBER);
            assertCode(() -> get(eve.conversation(c)), ErrorCode.NOT_MEMBER);
            assertCode(() -> get(eve.markRead(c, 1)), ErrorCode.NOT_MEMBER);
            assertCode(() -> get(eve.typing(c, false)), ErrorCode.NOT_MEMBER);
            assertCode(() -> get(eve.addMember(c, "eve", dev.tern.protocol.v1.Role.MEMBER)), ErrorCode.NOT_MEMBER);
            assertCode(() -> get(eve.leave(c)), ErrorCode.NOT_MEMBER);
        }
        assertCode(() -> get(b.addMember(group, "eve", dev.tern.protocol.v1.Role.MEMBER)), ErrorCode.FORBIDDEN);
        assertCode(() -> get(eve.sendTextTo("nobody_here", "hi")), ErrorCode.USER_NOT_FOUND);
        assertCode(() -> get(a.sendText(chat, "x".repeat(70_000))), ErrorCode.BODY_TOO_LARGE);
        assertCode(() -> get(a.markRead(chat, 1_000_000)), ErrorCode.INVALID_ARGUMENT);
        assertCode(() -> get(a.sync(0, 2001)), ErrorCode.INVALID_ARGUMENT);
        assertCode(() -> get(a.sync(0, -1)), ErrorCode.INVALID_ARGUMENT);
        assertCode(() -> get(a.history(chat, 0, 201)), ErrorCode.INVALID_ARGUMENT);
        assertThat(get(a.sync(0, 2000)).getUpdatesList()).isNotEmpty();
        // Eve's log holds nothing of theirs.
        assertThat(get(eve.sync(0, 100)).getUpdatesList()).isEmpty();
        List<Message> bobSees = ConversationIT.all(b, chat);
        assertThat(bobSees).extracting(Message::getText).containsExactly("private");
        for (TernClient x : List.of(a, b, eve)) {
            x.close();
        }
    }

    static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(TernException.class, e -> assertThat(e.code()).isEqualTo(code));
    }
}
