package dev.tern.core;


/**
 * A refusal or failure with a stable code. Thrown by the core, turned into an error frame at the
 * edge. Carries no stack trace: it is an expected outcome, not a bug.
 */
public final class Failure extends RuntimeException {
    private final ErrorCode code;
    private final int retryAfterMs;

    public Failure(ErrorCode code, String message) {
        this(code, message, 0);
    }

    public Failure(ErrorCode code, String message, int retryAfterMs) {
        super(message, null, false, false);
        this.code = code;
        this.retryAfterMs = retryAfterMs;
    }

    public ErrorCode code() {
        return code;
    }

    public int retryAfterMs() {
        return retryAfterMs;
    }
}
