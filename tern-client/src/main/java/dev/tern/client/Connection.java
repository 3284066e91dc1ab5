package dev.tern.client;

import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Hello;
import dev.tern.protocol.v1.Ping;
import dev.tern.protocol.v1.Resume;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.protocol.v1.Session;
import dev.tern.protocol.v1.Welcome;

import java.net.http.HttpClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The connection lifecycle of one {@link TernClient}: opens the WebSocket and exchanges hello,
 * pings, routes pushes, and after a dropped connection reconnects with jittered backoff, resumes
 * the ticket and hands the session back to the cursor (which syncs), the outbox (which transmits
 * again) and the delivery receipts. It also holds what a reconnect needs and a logout or a
 * revocation ends: the ticket, the session and whether it is authenticated.
 *
 * <p>Threading: the fields are volatile and written from the callers' threads, the WebSocket's and
 * the timer's; one reconnect is scheduled at a time. The listener's onConnection(true) is called
 * here on the thread that completed the session answer; every other callback goes through the
 * cursor's thread.
 */
final class Connection {
    private final ClientOptions options;
    private final TernListener listener;
    private final HttpClient http;
    private final Scheduler scheduler;
    private final Cursor cursor;
    private final Outbox outbox;
    private final DeliveryReceipts receipts; // null when turned off
    private volatile Wire wire;
    private volatile String ticket;
    private volatile Session session;
    private volatile boolean authenticated;
    private volatile boolean closed;
    private volatile int reconnectAttempt;
    private final AtomicBoolean reconnectScheduled = new AtomicBoolean();

    Connection(ClientOptions options, TernListener listener, HttpClient http, Scheduler scheduler,
               Cursor cursor, Outbox outbox, DeliveryReceipts receipts) {
        this.options = options;
        this.listener = listener;
        this.http = http;
        this.scheduler = scheduler;
        this.cursor = cursor;
        this.outbox = outbox;
        this.receipts = receipts;
    }

    /** Starts the heartbeat and opens the first connection; completes when the server welcomed it. */
    CompletableFuture<Welcome> start() {
        scheduler.repeat(this::ping, options.pingInterval().toMillis());
        return open();
    }

    private CompletableFuture<Welcome> open() {
        return Wire.open(http, options, this::onPush, this::onDisconnect).thenCompose(w -> {
            wire = w;
            return call(ClientFrame.newBuilder().setHello(Hello.newBuilder().setProtocolVersion(1)
                    .setClient("tern-java/0.1").setOrderedSends(true)), ServerFrame::getWelcome); // the Outbox retries in order
        });
    }

    /** One request on the current connection; an error frame fails the future with a TernException. */
    <T> CompletableFuture<T> call(ClientFrame.Builder frame, Function<ServerFrame, T> extract) {
        Wire w = wire;
        if (w == null || closed) {
            return CompletableFuture.failedFuture(new TernException(ErrorCode.SHUTTING_DOWN, "not connected", true, 0));
        }
        return w.request(frame, options.requestTimeout()).thenApply(f -> {
            if (f.hasError()) {
                throw new CompletionException(new TernException(f.getError().getCode(), f.getError().getMessage(),
                        f.getError().getRetryable(), f.getError().getRetryAfterMs()));
            }
            return extract.apply(f);
        });
    }

    // ------------------------------------------------------------------ session state

    String ticket() {
        return ticket;
    }

    Session session() {
        return session;
    }

    /** A password change: a new ticket for the reconnects, on the same connection and cursor. */
    Session ticketChanged(Session s) {
        ticket = s.getTicket();
        session = s;
        return s;
    }

    /**
     * Login or resume answered: {@code ticket} is what reconnects resume, and the cursor starts at
     * {@code pts} (pushes that came before the answer are left to the sync that follows).
     */
    Session signedIn(String ticket, long pts, Session s) {
        this.ticket = ticket;
        cursor.reset(pts);
        return authenticatedAs(s);
    }

    /**
     * Login, resume or a reconnect's resume succeeded: the connection is up, the cursor syncs from
     * where it is, the outbox transmits again and the receipts that waited for a connection go.
     */
    private Session authenticatedAs(Session s) {
        session = s;
        authenticated = true;
        reconnectAttempt = 0;
        listener.onConnection(true);
        cursor.gap();
        outbox.flush();
        if (receipts != null) {
            receipts.reconnected();
        }
        return s;
    }

    /** After a logout: nothing to resume, and nothing of this session may leak into a later login. */
    void loggedOut() {
        ticket = null;
        authenticated = false;
        outbox.failAll(new TernException(ErrorCode.NOT_AUTHENTICATED, "logged out", false, 0));
        cursor.forget();
        if (receipts != null) {
            receipts.forget();
        }
    }

    boolean ready() {
        Wire w = wire;
        return authenticated && w != null && w.isOpen() && !closed;
    }

    /** Drops the connection as a network failure would; the client reconnects if configured to. */
    void drop() {
        Wire w = wire;
        if (w != null) {
            w.abort();
        }
    }

    void close() {
        closed = true;
        outbox.failAll(new TernException(ErrorCode.SHUTTING_DOWN, "client closed", false, 0));
        Wire w = wire;
        if (w != null) {
            w.close();
        }
        scheduler.shutdown();
        cursor.close();
    }

    // ------------------------------------------------------------------ the wire's callbacks

    private void onPush(ServerFrame f) {
        switch (f.getBodyCase()) {
            case UPDATE -> {
                if (f.getUpdate().getUpdate().getPts() == 0) {
                    cursor.outsideLog(f.getUpdate().getUpdate()); // a broadcast conversation's message, a delivered marker
                } else {
                    cursor.entry(f.getUpdate().getUpdate().getPts(), f.getUpdate().getUpdate().getPrevPts(),
                            f.getUpdate().getUpdate());
                }
            }
            case TYPING -> cursor.run(() -> listener.onTyping(f.getTyping()));
            case PRESENCE -> cursor.run(() -> listener.onPresence(f.getPresence().getPresence()));
            case GOODBYE -> {
                if (f.getGoodbye().getReason() == ErrorCode.SESSION_REVOKED) {
                    ticket = null; // logged out elsewhere: nothing to resume, nothing can be sent
                    outbox.failAll(new TernException(ErrorCode.SESSION_REVOKED, f.getGoodbye().getMessage(), false, 0));
                }
                cursor.run(() -> listener.onGoodbye(f.getGoodbye()));
            }
            default -> { }
        }
    }

    private void onDisconnect() {
        boolean wasUp = authenticated;
        authenticated = false;
        if (wasUp) {
            cursor.run(() -> listener.onConnection(false));
        }
        if (!closed && options.reconnect() && ticket != null) {
            scheduleReconnect();
        }
    }

    // ------------------------------------------------------------------ reconnects

    private void scheduleReconnect() {
        if (!reconnectScheduled.compareAndSet(false, true)) {
            return; // one attempt at a time
        }
        long delay = Backoff.RECONNECT.delayMs(reconnectAttempt++, ThreadLocalRandom.current());
        scheduler.schedule(this::reconnect, delay);
    }

    private void reconnect() {
        reconnectScheduled.set(false);
        String t = ticket;
        if (closed || t == null) {
            return;
        }
        open().thenCompose(w -> call(ClientFrame.newBuilder().setResume(Resume.newBuilder().setTicket(t)),
                        ServerFrame::getSession))
                .thenAccept(this::authenticatedAs)
                .exceptionally(e -> {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (cause instanceof TernException te && (te.code() == ErrorCode.TICKET_INVALID
                            || te.code() == ErrorCode.TICKET_EXPIRED)) {
                        ticket = null; // nothing to resume: the application must log in again
                        outbox.failAll(te);
                    } else if (wire == null || !wire.isOpen()) {
                        onDisconnectIfNeeded();
                    } else {
                        wire.abort();
                    }
                    return null;
                });
    }

    private void onDisconnectIfNeeded() {
        if (!closed && options.reconnect() && ticket != null) {
            scheduleReconnect();
        }
    }

    private void ping() {
        Wire w = wire;
        if (w != null && w.isOpen()) {
            w.request(ClientFrame.newBuilder().setPing(Ping.getDefaultInstance()), options.requestTimeout());
        }
    }
}
