package dev.tern.gateway;

import dev.tern.protocol.v1.ClientFrame;

/**
 * Where a connection hands the requests it decoded: the {@link Dispatcher} in a server. The
 * connection depends on this rather than on the dispatcher so that its decoding and framing can be
 * exercised on an embedded channel without a core behind it (the gateway fuzz targets do).
 */
interface Requests {

    /**
     * Handles one request that waited {@code waitedNanos} in the connection's mailbox (a virtual
     * thread); {@code limitsCharged} when the event loop already charged it to the rate limits.
     */
    void handle(Connection conn, ClientFrame frame, long waitedNanos, boolean limitsCharged);

    /**
     * Tries to handle a send on the event loop; false when it must take the mailbox path instead,
     * and then nothing was done.
     */
    boolean sendNow(Connection conn, ClientFrame frame);

    /** Forgets a connection that logged out or closed. Idempotent. */
    void detach(Connection conn);

    /** The meters the connection counts frames, connections and errors in. */
    GatewayMetrics metrics();
}
