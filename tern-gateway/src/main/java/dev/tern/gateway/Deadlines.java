package dev.tern.gateway;

import dev.tern.protocol.v1.ErrorCode;

import java.time.Duration;

/**
 * A connection's timeouts: the time it has to log in or resume (from the WebSocket handshake, and
 * again after a logout) and the idle timeout (nothing read at all). No timer per connection: the
 * {@link IdleSweeper} asks {@link #expired} about once a second.
 *
 * <p>Threads: {@link #read} on the event loop; the rest from any thread (volatile fields).
 */
final class Deadlines {
    private final Duration auth;
    private final Duration idle;
    private volatile long authDeadlineNanos;
    private volatile long lastReadNanos;
    private boolean readSinceQuietCheck; // event loop only

    Deadlines(Duration auth, Duration idle) {
        this.auth = auth;
        this.idle = idle;
        long now = System.nanoTime();
        lastReadNanos = now;
        authDeadlineNanos = now + auth.toNanos();
    }

    /** Bytes were read (event loop): the connection is not idle. */
    void read(long nanos) {
        lastReadNanos = nanos;
        readSinceQuietCheck = true;
    }

    /** Anonymous again after a logout: a fresh time to log in as someone else. */
    void restartAuth() {
        authDeadlineNanos = System.nanoTime() + auth.toNanos();
    }

    /**
     * The timeout that has passed at {@code now}, or null. {@code authenticated}: logged in or
     * resumed (then only the idle timeout applies).
     */
    ErrorCode expired(long now, boolean authenticated) {
        if (!authenticated && now - authDeadlineNanos > 0) {
            return ErrorCode.AUTH_TIMEOUT;
        }
        return idle(now) ? ErrorCode.IDLE_TIMEOUT : null;
    }

    /** True when nothing was read for the idle timeout. */
    boolean idle(long now) {
        return now - lastReadNanos > idle.toNanos();
    }

    /** The goodbye text for a timeout that {@link #expired} returned. */
    String message(ErrorCode timeout) {
        return timeout == ErrorCode.AUTH_TIMEOUT
                ? "no login or resume within " + auth.toMillis() + " ms"
                : "nothing received for " + idle.toMillis() + " ms";
    }

    /** Event loop: true when something was read since the last call (the client is not quiet yet). */
    boolean readSinceLastCheck() {
        boolean read = readSinceQuietCheck;
        readSinceQuietCheck = false;
        return read;
    }
}
