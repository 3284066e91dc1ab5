package dev.tern.core.delivery;

import dev.tern.core.ErrorCode;
import dev.tern.core.view.Push;

/** One authenticated connection, as the core sees it. Implemented by the gateway. */
public interface Sink {
    long userId();

    long deviceId();

    /**
     * Queues {@code push} for the connection without blocking; drops it if the connection is gone.
     * Called on the core's publishing threads (updates, in commit order) and on request threads
     * (typing, presence); the same value goes to many sinks.
     */
    void push(Push push);

    /** Tells the client why (a goodbye frame) and closes the connection. */
    void close(ErrorCode reason, String message);
}
