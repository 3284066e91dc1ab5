package dev.tern.gateway;

import dev.tern.protocol.v1.ClientFrame;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for the dispatcher behind a fuzzed connection: counts the requests the connection
 * handed on and answers none of them, so everything the client sees comes from the gateway itself.
 * (A real core would answer from other threads, which an embedded channel does not allow.)
 */
final class RecordingRequests implements Requests {
    final AtomicInteger handed = new AtomicInteger();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GatewayMetrics metrics = new GatewayMetrics(registry);

    @Override
    public void handle(Connection conn, ClientFrame frame, long waitedNanos, boolean limitsCharged) {
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

    @Override
    public GatewayMetrics metrics() {
        return metrics;
    }
}
