package dev.tern.gateway;

import dev.tern.core.Principal;
import dev.tern.core.auth.Accounts;
import dev.tern.core.delivery.Sessions;
import dev.tern.core.presence.PresenceService;
import dev.tern.core.view.SessionView;
import dev.tern.gateway.RequestTable.Access;
import dev.tern.gateway.wire.Refused;
import dev.tern.gateway.wire.Results;
import dev.tern.protocol.v1.ClientFrame.BodyCase;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.protocol.v1.Welcome;

import static dev.tern.gateway.Handler.done;
import static dev.tern.gateway.Handler.now;

/**
 * The session's life: hello, registration, login, resume, logout, password change; and the
 * registration of an authenticated connection with the node's sessions (so pushes reach it).
 */
final class AccountHandlers {
    private final Accounts accounts;
    private final Sessions sessions;
    private final PresenceService presence;
    private final Welcome welcome;

    /** @param welcome what hello answers (server version and limits) */
    AccountHandlers(Accounts accounts, Sessions sessions, PresenceService presence, Welcome welcome) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.presence = presence;
        this.welcome = welcome;
    }

    void register(RequestTable table) {
        table.on(BodyCase.HELLO, Access.ANY, c -> {
            if (c.frame().getHello().getProtocolVersion() != 1) {
                throw new Refused(ErrorCode.UNSUPPORTED_VERSION, "this server speaks protocol version 1");
            }
            c.conn().sendOrder().enable(c.frame().getHello().getOrderedSends());
            return now(welcome, ServerFrame.Builder::setWelcome);
        }).on(BodyCase.REGISTER, Access.ANONYMOUS, c -> now(accounts.register(c.frame().getRegister().getUsername(),
                c.frame().getRegister().getPassword(), c.conn().address()), (f, v) -> f.setRegistered(Results.registered(v)))
        ).on(BodyCase.LOGIN, Access.ANONYMOUS, c -> {
            var l = c.frame().getLogin();
            SessionView s = accounts.login(l.getUsername(), l.getPassword(), l.getDeviceName(), c.conn().address());
            attach(c.conn(), accounts.principalOf(s));
            return now(s, (f, v) -> f.setSession(Results.session(v)));
        }).on(BodyCase.RESUME, Access.ANONYMOUS, c -> {
            Accounts.Resumed r = accounts.resume(c.frame().getResume().getTicket());
            attach(c.conn(), r.principal());
            if (!accounts.stillValid(r.principal())) {
                // A logout of this ticket ran between the check and the attach.
                detach(c.conn());
                throw new Refused(ErrorCode.TICKET_INVALID, "unknown or revoked ticket");
            }
            return now(r.session(), (f, v) -> f.setSession(Results.session(v)));
        }).on(BodyCase.LOGOUT, c -> {
            accounts.logout(c.principal(), c.conn());
            detach(c.conn());
            return done();
        }).on(BodyCase.CHANGE_PASSWORD, c -> {
            var p = c.frame().getChangePassword();
            SessionView s = accounts.changePassword(c.principal(), p.getOldPassword(), p.getNewPassword(), c.conn());
            c.conn().authenticated(accounts.principalOf(s)); // the new ticket from now on
            return now(s, (f, v) -> f.setSession(Results.session(v)));
        });
    }

    /**
     * Registers an authenticated connection. The registration is recorded after the add, and detach
     * takes it exactly once, so a close racing with the login can neither leak the connection in
     * Sessions nor remove it twice.
     */
    private void attach(Connection conn, Principal p) {
        conn.authenticated(p);
        sessions.add(conn);
        conn.registered(p.userId());
        if (conn.isClosed()) {
            detach(conn); // closed while logging in: channelInactive's detach may have found nothing
        }
    }

    /** Forgets a connection that logged out or closed. Idempotent. */
    void detach(Connection conn) {
        long user = conn.takeRegistration();
        if (user != 0) {
            sessions.remove(user, conn);
            presence.unsubscribe(conn);
        }
        conn.loggedOut();
    }
}
