package dev.tern.client;

import dev.tern.protocol.v1.ErrorCode;

/** The server refused a request with an error frame (or the client gave up). */
public final class TernException extends RuntimeException {
    private final ErrorCode code;
    private final boolean retryable;
    private final int retryAfterMs;

    public TernException(ErrorCode code, String message, boolean retryable, int retryAfterMs) {
        super(code + ": " + message);
        this.code = code;
        this.retryable = retryable;
        this.retryAfterMs = retryAfterMs;
    }

    public ErrorCode code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }

    public int retryAfterMs() {
        return retryAfterMs;
    }
}
