package dev.tern.gateway.wire;

import dev.tern.core.Failure;
import dev.tern.protocol.v1.ErrorCode;

/**
 * A refusal by the edge itself, with its wire code: a frame it cannot take (unknown type, wrong
 * protocol version, a second login on one connection), an HTTP request it cannot serve. The core's
 * refusals are {@link Failure}s with domain codes; {@link #of} turns either into this, so every reply
 * path writes one kind of refusal. No stack trace: it is an expected outcome, not a bug.
 */
public final class Refused extends RuntimeException {
    private final ErrorCode code;
    private final int retryAfterMs;

    public Refused(ErrorCode code, String message) {
        this(code, message, 0);
    }

    public Refused(ErrorCode code, String message, int retryAfterMs) {
        super(message, null, false, false);
        this.code = code;
        this.retryAfterMs = retryAfterMs;
    }

    /** The refusal {@code t} stands for, or null when {@code t} is neither kind (a bug). */
    public static Refused of(Throwable t) {
        return switch (t) {
            case Refused r -> r;
            case Failure f -> new Refused(Codes.wire(f.code()), f.getMessage(), f.retryAfterMs());
            default -> null;
        };
    }

    public ErrorCode code() {
        return code;
    }

    public int retryAfterMs() {
        return retryAfterMs;
    }
}
