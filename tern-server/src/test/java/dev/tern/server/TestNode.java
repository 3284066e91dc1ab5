package dev.tern.server;

import dev.tern.client.ClientOptions;
import dev.tern.client.TernClient;
import dev.tern.client.TernListener;
import dev.tern.protocol.v1.Session;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real server on port 0 with a RocksDB store in a temp dir, and helpers to make SDK clients. */
final class TestNode implements AutoCloseable {
    final TernServer server;
    final Path dir;

    private TestNode(TernServer server, Path dir) {
        this.server = server;
        this.dir = dir;
    }

    static TestNode start(Path dir) {
        return start(dir, Map.of());
    }

    static TestNode start(Path dir, Map<String, String> extra) {
        return start(dir, extra, java.time.InstantSource.system());
    }

    static TestNode start(Path dir, Map<String, String> extra, java.time.InstantSource clock) {
        Map<String, String> o = new HashMap<>(settings(dir));
        o.putAll(extra);
        try {
            return new TestNode(TernServer.start(ServerConfig.load(null, Map.of(), o), clock), dir);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code extra} plus admission thresholds so high that nothing is refused as OVERLOADED. For tests
     * of crashes, limits and large histories that should not also be about overload on a loaded
     * machine (send order across refusals holds anyway: SendOrderIT). Load shedding itself is tested
     * in OverloadIT.
     */
    static Map<String, String> withoutLoadShedding(Map<String, String> extra) {
        Map<String, String> o = new HashMap<>(extra);
        o.put("overload.low-backlog", "10m");
        o.put("overload.normal-backlog", "10m");
        o.put("overload.high-backlog", "10m");
        return o;
    }

    /** Test settings: any free port, the temp store, cheap Argon2 so tests can log in quickly. */
    static Map<String, String> settings(Path dir) {
        Map<String, String> m = new HashMap<>(NO_LIMITS);
        m.putAll(Map.of("server.port", "0", "store.path", dir.toString(), "auth.argon2-memory-kib", "256",
                "auth.argon2-iterations", "1", "sequence.step", "100"));
        return m;
    }

    /**
     * Rate limits off: most tests send and register as fast as they can from 127.0.0.1. LimitsIT
     * tests every limit with small values of its own.
     */
    static final Map<String, String> NO_LIMITS = Map.of("limits.send-rate-device", "0/1s",
            "limits.send-rate-user", "0/1s", "limits.login-failures-per-username", "0/1s",
            "limits.login-attempts-per-address", "0/1s", "limits.registrations-per-address", "0/1s",
            "limits.groups-per-user", "0/1s", "limits.connections-per-address", "0");

    URI uri() {
        return URI.create("ws://127.0.0.1:" + server.address().getPort() + "/ws");
    }

    TernClient client(TernListener listener) {
        return client(listener, true);
    }

    TernClient client(TernListener listener, boolean binary) {
        return get(TernClient.connect(ClientOptions.of(uri()).withBinary(binary), listener));
    }

    /** Registers (if new) and logs in a user on a fresh connection. */
    TernClient user(String name, TernListener listener) {
        return user(name, listener, ClientOptions.of(uri()));
    }

    /** The same, speaking binary protobuf frames or (binary false) JSON text frames. */
    TernClient user(String name, TernListener listener, boolean binary) {
        return user(name, listener, ClientOptions.of(uri()).withBinary(binary));
    }

    /** The same with given options (another port, wss://, a trust store). */
    TernClient user(String name, TernListener listener, ClientOptions options) {
        TernClient c = get(TernClient.connect(options, listener));
        try {
            get(c.register(name, "password-" + name));
        } catch (RuntimeException alreadyThere) {
            // registered by an earlier call in the same test
        }
        Session s = get(c.login(name, "password-" + name, "test"));
        if (s.getUserId() == 0) {
            throw new IllegalStateException("login failed");
        }
        return c;
    }

    static <T> T get(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
