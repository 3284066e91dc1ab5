/**
 * The network edge: one Netty port serving HTTP ({@code /healthz}) and the WebSocket at {@code /ws},
 * over TLS when a {@link dev.tern.gateway.tls.TlsConfig} is given (then optionally a second, plain port
 * serving the same for a load balancer that terminates TLS).
 *
 * <p>Invariants:
 * <ul>
 *   <li>Event loops never block: they decode frames, answer pings and hand requests to the
 *       connection's mailbox, which a virtual thread drains in arrival order.</li>
 *   <li>Each connection handles its requests in order; sends are ordered before the next request
 *       is taken, while their acks follow durability asynchronously (pipelining). A send refused
 *       with a retryable error before ordering holds back the connection's later sends until it is
 *       retried (SendOrder), so a device's messages keep the order it made them in.</li>
 *   <li>A full mailbox stops reading from the socket (backpressure). When more than max-outbound
 *       waits for a client, what waits is dropped and the goodbye SLOW_READER goes out ahead of it —
 *       the client's messages wait in the update log.</li>
 *   <li>A goodbye is the last frame of a connection, followed by its close code; the socket is
 *       closed within a second of it whatever the client does. On shutdown every request read
 *       before the goodbye is answered (its response, or SHUTTING_DOWN).</li>
 *   <li>Core {@link dev.tern.core.Failure}s and the core's values become frames only in
 *       {@code gateway.wire}; handlers pass them on.</li>
 * </ul>
 * Close codes: 1009 for an oversized frame, otherwise 4000 + the error code number.
 */
package dev.tern.gateway;
