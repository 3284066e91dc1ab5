package dev.tern.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.tern.client.TernClient;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.protocol.v1.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;

import static dev.tern.server.BadInputIT.parse;
import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;

/** A password change revokes every other ticket, survives a restart, and no secret reaches a log. */
class PasswordChangeIT {
    @TempDir
    Path dir;

    private static String resume(String id, String ticket) {
        return "{\"id\":\"" + id + "\",\"resume\":{\"ticket\":\"" + ticket + "\"}}";
    }

    private static ServerFrame resumeOnNewSocket(TestNode node, String ticket) throws Exception {
        try (RawSocket s = RawSocket.json(node.uri())) {
            s.send(resume("r", ticket));
            return parse(s.next());
        }
    }

    @Test
    void changingThePasswordSignsOutEveryOtherDeviceAndKeepsThisOne() throws Exception {
        String phoneTicket;
        String laptopTicket;
        String newTicket;
        try (TestNode node = TestNode.start(dir)) {
            TernClient phone = node.user("alice", new Recorder());
            node.user("bob", new Recorder()).close();
            phoneTicket = phone.ticket();
            try (RawSocket laptop = RawSocket.json(node.uri())) {
                laptop.send("{\"id\":\"l\",\"login\":{\"username\":\"alice\",\"password\":\"password-alice\",\"deviceName\":\"laptop\"}}");
                laptopTicket = parse(laptop.next()).getSession().getTicket();

                // A wrong old password changes nothing.
                try (RawSocket s = RawSocket.json(node.uri())) {
                    s.send(resume("r", phoneTicket));
                    assertThat(parse(s.next()).hasSession()).isTrue();
                    s.send("{\"id\":\"c\",\"changePassword\":{\"oldPassword\":\"not-it-at-all\",\"newPassword\":\"brand-new-secret\"}}");
                    assertThat(parse(s.next()).getError().getCode()).isEqualTo(ErrorCode.BAD_CREDENTIALS);
                }
                assertThat(resumeOnNewSocket(node, laptopTicket).hasSession()).isTrue();

                Session changed = get(phone.changePassword("password-alice", "brand-new-secret"));
                newTicket = changed.getTicket();
                assertThat(newTicket).isNotEmpty().isNotEqualTo(phoneTicket);
                assertThat(changed.getDeviceId()).isEqualTo(phone.session().getDeviceId());
                assertThat(phone.ticket()).isEqualTo(newTicket);

                ServerFrame bye = parse(laptop.next());
                assertThat(bye.getGoodbye().getReason()).isEqualTo(ErrorCode.SESSION_REVOKED);
            }
            // The device that changed it keeps working.
            assertThat(get(phone.sendTextTo("bob", "still here")).getSeq()).isPositive();
            for (String old : List.of(phoneTicket, laptopTicket)) {
                assertThat(resumeOnNewSocket(node, old).getError().getCode()).isEqualTo(ErrorCode.TICKET_INVALID);
            }
            assertThat(resumeOnNewSocket(node, newTicket).hasSession()).isTrue();
            try (RawSocket s = RawSocket.json(node.uri())) {
                s.send("{\"id\":\"o\",\"login\":{\"username\":\"alice\",\"password\":\"password-alice\"}}");
                assertThat(parse(s.next()).getError().getCode()).isEqualTo(ErrorCode.BAD_CREDENTIALS);
                s.send("{\"id\":\"n\",\"login\":{\"username\":\"alice\",\"password\":\"brand-new-secret\"}}");
                assertThat(parse(s.next()).hasSession()).isTrue();
            }
            phone.close();
        }
        // After a restart the revocation still holds (it is in the user record, not in memory).
        try (TestNode node = TestNode.start(dir)) {
            assertThat(resumeOnNewSocket(node, laptopTicket).getError().getCode()).isEqualTo(ErrorCode.TICKET_INVALID);
            assertThat(resumeOnNewSocket(node, phoneTicket).getError().getCode()).isEqualTo(ErrorCode.TICKET_INVALID);
            assertThat(resumeOnNewSocket(node, newTicket).hasSession()).isTrue();
        }
    }

    @Test
    void noPasswordOrTicketIsEverLogged() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        Level before = root.getLevel();
        root.setLevel(Level.DEBUG);
        root.addAppender(captured);
        List<String> secrets;
        try (TestNode node = TestNode.start(dir)) {
            TernClient carol = node.user("carol", new Recorder());
            String ticket = carol.ticket();
            Session changed = get(carol.changePassword("password-carol", "carol-new-password"));
            try (RawSocket s = RawSocket.json(node.uri())) {
                // Failures of every kind around secrets: bad login, bad resume, bad frame with a password in it.
                s.send("{\"id\":\"1\",\"login\":{\"username\":\"carol\",\"password\":\"wrong-guess-123\"}}");
                s.next();
                s.send(resume("2", ticket));
                s.next();
                s.send("{\"id\":\"3\",\"login\":{\"username\":\"carol\",\"password\":\"oops-in-bad-frame\",\"x\":1}}");
                s.next();
                s.send("{\"id\":\"4\",\"register\":{\"username\":\"carol\",\"password\":\"register-secret-1\"}}");
                s.next();
            }
            carol.close();
            secrets = List.of("password-carol", "carol-new-password", "wrong-guess-123", "oops-in-bad-frame",
                    "register-secret-1", ticket, changed.getTicket());
        } finally {
            root.detachAppender(captured);
            root.setLevel(before);
        }
        assertThat(captured.list).isNotEmpty();
        for (ILoggingEvent e : captured.list) {
            String text = e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
                    : ThrowableProxyUtil.asString(e.getThrowableProxy()));
            for (String secret : secrets) {
                assertThat(text).as("log line from %s", e.getLoggerName()).doesNotContain(secret);
            }
        }
    }
}
