package dev.tern.gateway;

import dev.tern.core.Await;
import dev.tern.core.Principal;
import dev.tern.core.admission.Admission;
import dev.tern.core.admission.Priority;
import dev.tern.gateway.wire.Refused;
import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.protocol.v1.Welcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.concurrent.CompletableFuture;

/**
 * Admits each request, finds its handler in the {@link RequestTable} and writes the outcome with
 * one reply path: the response once the handler's future completes (on the publisher thread, in
 * commit order, for changes; at once for reads), or the error frame of its failure. Runs on the
 * connection's virtual thread, so the next request is taken without waiting for an fsync.
 */
final class Dispatcher implements Requests {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final Admission admission;
    private final RequestTable table;
    private final MessageHandlers messages;
    private final AccountHandlers accounts;
    private final GatewayMetrics metrics;

    /**
     * @param messages also answers sends on the event loop's fast path
     * @param accounts also forgets connections that close
     */
    Dispatcher(Admission admission, RequestTable table, MessageHandlers messages, AccountHandlers accounts,
               GatewayMetrics metrics) {
        this.admission = admission;
        this.table = table;
        this.messages = messages;
        this.accounts = accounts;
        this.metrics = metrics;
    }

    /** The gateway's request side, wired from the core's features: each family gets only what it uses. */
    static Dispatcher wire(dev.tern.core.node.Core core, GatewayConfig config, String serverVersion, GatewayMetrics metrics) {
        RequestTable table = new RequestTable();
        Welcome welcome = Welcome.newBuilder().setProtocolVersion(1).setServerVersion(serverVersion)
                .setMaxFrameBytes(config.maxFrameBytes()).setMaxBodyBytes(core.config().maxBodyBytes())
                .setIdleTimeoutMs((int) config.idleTimeout().toMillis()).build();
        AccountHandlers accounts = new AccountHandlers(core.accounts(), core.sessions(), core.presence(), welcome);
        accounts.register(table);
        MessageHandlers messages = new MessageHandlers(core.messaging(), core.catchup(), core.edits(), core.pins(),
                core.limits(), metrics);
        messages.register(table);
        new GroupHandlers(core.groups(), core.settings(), core.invites(), core.channels()).register(table);
        new InboxHandlers(core.dialogs(), core.receipts()).register(table);
        new PeopleHandlers(core.blocks(), core.privacy(), core.presence(), core.search()).register(table);
        return new Dispatcher(core.admission(), table, messages, accounts, metrics);
    }

    @Override
    public GatewayMetrics metrics() {
        return metrics;
    }

    /**
     * Handles one request that waited {@code waitedNanos} in the connection's mailbox. A request
     * past its deadline, or of a priority the current backlog refuses, is answered OVERLOADED
     * without being started.
     */
    @Override
    public void handle(Connection conn, ClientFrame f, long waitedNanos, boolean limitsCharged) {
        metrics.queued(waitedNanos);
        Principal p = conn.principal();
        // Log lines of this request carry its id and caller (MDC; the virtual thread is the request's).
        MDC.put("req", f.getId());
        if (p != null) {
            MDC.put("user", Long.toString(p.userId()));
            MDC.put("device", Long.toString(p.deviceId()));
        }
        try {
            if (f.hasSend()) {
                conn.sendOrder().check(f.getSend()); // before admission: a send behind a refused one waits
            }
            admission.checkDeadline(waitedNanos, writes(f.getBodyCase()));
            admission.admit(priorityOf(f.getBodyCase()), writes(f.getBodyCase()));
            RequestTable.Entry entry = table.get(f.getBodyCase());
            if (entry == null) {
                // As for any request but the anonymous ones: the session is checked first.
                throw p == null ? new Refused(ErrorCode.NOT_AUTHENTICATED, "log in or resume first")
                        : new Refused(ErrorCode.UNKNOWN_FRAME_TYPE, "unknown frame type");
            }
            switch (entry.access()) {
                case ANONYMOUS -> {
                    if (p != null) {
                        throw new Refused(ErrorCode.ALREADY_AUTHENTICATED, "this connection already has a session");
                    }
                }
                case SESSION -> {
                    if (p == null) {
                        throw new Refused(ErrorCode.NOT_AUTHENTICATED, "log in or resume first");
                    }
                }
                case ANY -> { }
            }
            reply(conn, f, entry.handler().handle(
                    new Handler.Call(conn, p, f, limitsCharged, System.nanoTime() - waitedNanos)));
        } catch (RuntimeException e) {
            refused(conn, f, e);
        } finally {
            MDC.clear();
        }
    }

    /**
     * The event-loop fast path for a send whose conversation is warm: ordering it needs no store read,
     * so it is done here without a thread hop. Returns false when it must take the blocking path; the
     * send was then already counted against the rate limits. Refusals are answered here too.
     */
    @Override
    public boolean sendNow(Connection conn, ClientFrame f) {
        long received = System.nanoTime();
        try {
            conn.sendOrder().check(f.getSend());
            admission.admit(Priority.NORMAL, true);
            CompletableFuture<Handler.Reply> ack = messages.sendIfWarm(
                    new Handler.Call(conn, conn.principal(), f, false, received));
            if (ack == null) {
                return false; // counted against the limits: the blocking path must not count it again
            }
            reply(conn, f, ack);
        } catch (RuntimeException e) {
            refused(conn, f, e);
        }
        return true;
    }

    /** The one reply path: the response or the error frame, with the request's id, when {@code outcome} completes. */
    private static void reply(Connection conn, ClientFrame f, CompletableFuture<Handler.Reply> outcome) {
        outcome.whenComplete((body, error) -> {
            ServerFrame response;
            if (error == null) {
                try {
                    ServerFrame.Builder b = ServerFrame.newBuilder().setId(f.getId());
                    body.into(b);
                    response = b.build();
                } catch (RuntimeException bug) {
                    response = failed(f.getId(), f.getBodyCase(), bug); // logged; the client still gets an answer
                }
            } else {
                response = failed(f.getId(), null, Await.unwrap(error));
            }
            conn.send(response);
        });
    }

    /** A request refused before (or while) it was started. */
    private static void refused(Connection conn, ClientFrame f, RuntimeException e) {
        if (f.hasSend()) {
            conn.sendOrder().refused(f.getSend(), e);
        }
        conn.send(failed(f.getId(), f.getBodyCase(), e));
    }

    /**
     * The error frame for a request that failed: a refusal (the core's or the edge's) keeps its code;
     * anything else is a bug, logged with the request id and answered INTERNAL without details.
     */
    private static ServerFrame failed(String id, ClientFrame.BodyCase what, Throwable t) {
        Refused refused = Refused.of(t);
        if (refused != null) {
            return Connection.error(id, refused.code(), refused.getMessage(), refused.retryAfterMs());
        }
        if (what == null) {
            log.error("request {} failed", id, t);
        } else {
            log.error("request {} ({}) failed", id, what, t);
        }
        return Connection.error(id, ErrorCode.INTERNAL, "internal error");
    }

    /** Forgets a connection that logged out or closed. Idempotent. */
    @Override
    public void detach(Connection conn) {
        accounts.detach(conn);
    }

    /**
     * True when a request of this type enters the commit pipeline, so its refusal counts as demand in
     * admission's rates. Reads, typing and presence never do.
     */
    static boolean writes(ClientFrame.BodyCase type) {
        return switch (type) {
            case HELLO, PING, RESUME, SYNC, HISTORY, GET_CHANGES, GET_CONVERSATION, GET_MEMBERS, GET_REACTIONS,
                 GET_BLOCKED, GET_CONTACTS, GET_PRIVACY, GET_DIALOGS, TYPING, PRESENCE, SEARCH_MESSAGES, SEARCH_USERS,
                 SEARCH_CHANNELS, BODY_NOT_SET -> false;
            default -> true;
        };
    }

    /** What a request type is worth under overload (see {@link Priority}). */
    static Priority priorityOf(ClientFrame.BodyCase type) {
        return switch (type) {
            case HELLO, LOGIN, RESUME, SYNC, LOGOUT, PING, CHANGE_PASSWORD -> Priority.HIGH;
            case TYPING, PRESENCE, SEARCH_MESSAGES, SEARCH_USERS, SEARCH_CHANNELS -> Priority.LOW; // reads that can wait
            default -> Priority.NORMAL;
        };
    }
}
