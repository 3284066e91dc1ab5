package dev.tern.gateway;

import dev.tern.gateway.tls.TlsConfig;
import java.time.Duration;

/**
 * Network limits and addresses, validated on construction.
 *
 * @param host             address to bind
 * @param port             port to bind (0: any free port)
 * @param maxFrameBytes    largest WebSocket message accepted
 * @param authTimeout      time a new connection has to log in or resume
 * @param idleTimeout      a connection that sends nothing (frames or pings) this long is closed
 * @param maxOutboundBytes bytes queued to a connection before it counts as a slow reader
 * @param maxInflight      requests queued per connection before the server stops reading it
 * @param ioThreads        event-loop threads (0: one per core)
 * @param maxConnectionsPerAddress open connections allowed per remote address (0: no limit)
 * @param tls              TLS on {@code port}, or null for plain WebSocket and HTTP
 * @param plainPort        with TLS, a second port serving the same without TLS, for a load balancer
 *                         that terminates TLS itself (0: none)
 */
public record GatewayConfig(String host, int port, int maxFrameBytes, Duration authTimeout, Duration idleTimeout,
                            int maxOutboundBytes, int maxInflight, int ioThreads, int maxConnectionsPerAddress,
                            TlsConfig tls, int plainPort) {

    public static final GatewayConfig DEFAULTS = new GatewayConfig("127.0.0.1", 8080, 128 * 1024,
            Duration.ofSeconds(10), Duration.ofSeconds(90), 4 << 20, 256, 0, 1000, null, 0);

    public GatewayConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535");
        }
        if (maxFrameBytes < 1024 || maxFrameBytes > 64 << 20) {
            throw new IllegalArgumentException("maxFrameBytes must be 1024..67108864");
        }
        if (authTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("authTimeout must be at least 100ms");
        }
        if (idleTimeout.toMillis() < 1000) {
            throw new IllegalArgumentException("idleTimeout must be at least 1s");
        }
        if (maxOutboundBytes < 64 * 1024) {
            throw new IllegalArgumentException("maxOutboundBytes must be at least 65536");
        }
        if (maxInflight < 1 || maxInflight > 65536) {
            throw new IllegalArgumentException("maxInflight must be 1..65536");
        }
        if (ioThreads < 0 || ioThreads > 1024) {
            throw new IllegalArgumentException("ioThreads must be 0..1024");
        }
        if (maxConnectionsPerAddress < 0) {
            throw new IllegalArgumentException("maxConnectionsPerAddress must not be negative");
        }
        if (plainPort < 0 || plainPort > 65535) {
            throw new IllegalArgumentException("plainPort must be 0..65535");
        }
        // Without TLS the main port is plain already; a second one would only be a surprise.
        if (plainPort != 0 && tls == null) {
            throw new IllegalArgumentException("plainPort needs TLS on the main port");
        }
        if (plainPort != 0 && plainPort == port) {
            throw new IllegalArgumentException("plainPort must differ from port");
        }
    }
}
