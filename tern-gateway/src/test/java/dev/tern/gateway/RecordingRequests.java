package dev.tern.gateway;

import dev.tern.protocol.v1.ClientFrame;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for the dispatcher behind a fuzzed connection: counts the requests the connection
 * handed on and answers none of them, so everything the client sees comes from the gateway itself.
 * (A real core would answer from other threads, which an embedded channel does not allow.)
 */
final class RecordingRequests implements Requests {
    final AtomicInteger handed = new AtomicInteger();

    @Override
    public void handle(Connection conn, ClientFrame frame, long waitedNanos) {
        handed.incrementAndGet();
    }

    @Override
    public boolean sendNow(Connection conn, ClientFrame frame) {
        handed.incrementAndGet();
        return true;
    }

    @Override
    public void detach(Connection conn) {
        // Nothing registered, nothing to forget.
    }
}
