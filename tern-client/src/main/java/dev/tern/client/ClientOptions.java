package dev.tern.client;

import java.net.URI;
import java.time.Duration;

/**
 * @param uri            ws://host:port/ws
 * @param binary         protobuf binary frames (true) or JSON text frames (false)
 * @param requestTimeout a request with no response in this time fails (sends are retried instead)
 * @param reconnect      reconnect and resume automatically after a dropped connection
 * @param pingInterval   heartbeat interval; keep it well below the server's idle timeout
 */
public record ClientOptions(URI uri, boolean binary, Duration requestTimeout, boolean reconnect, Duration pingInterval) {
    public ClientOptions {
        if (uri == null) {
            throw new IllegalArgumentException("uri is required");
        }
    }

    public static ClientOptions of(URI uri) {
        return new ClientOptions(uri, true, Duration.ofSeconds(10), true, Duration.ofSeconds(20));
    }

    public ClientOptions withBinary(boolean b) {
        return new ClientOptions(uri, b, requestTimeout, reconnect, pingInterval);
    }

    public ClientOptions withReconnect(boolean r) {
        return new ClientOptions(uri, binary, requestTimeout, r, pingInterval);
    }
}
