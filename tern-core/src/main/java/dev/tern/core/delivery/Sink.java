package dev.tern.core.delivery;

import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.ServerFrame;

/** One authenticated connection, as the core sees it. Implemented by the gateway. */
public interface Sink {
    long userId();

    long deviceId();

    /** Queues a frame for the connection without blocking; drops it if the connection is gone. */
    void push(ServerFrame frame);

    /** Tells the client why (a goodbye frame) and closes the connection. */
    void close(ErrorCode reason, String message);
}
