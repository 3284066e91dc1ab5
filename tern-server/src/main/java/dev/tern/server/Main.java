package dev.tern.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code tern-server [--config FILE] [--set key=value]...}. Exit code 2 on a configuration error,
 * 1 when the server cannot start (or a stop failed), 0 after a clean stop by SIGTERM or SIGINT.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Path file = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> file = Path.of(value(args, ++i, "--config"));
                case "--set" -> {
                    String kv = value(args, ++i, "--set");
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        fail("--set expects key=value, got '" + kv + "'");
                    }
                    overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                case "-h", "--help" -> {
                    System.out.println("usage: tern-server [--config FILE] [--set key=value]...");
                    System.out.println("keys: see tern.properties.example; environment: TERN_<KEY>, e.g. TERN_SERVER_PORT");
                    return;
                }
                default -> fail("unknown argument '" + args[i] + "' (try --help)");
            }
        }
        ServerConfig config;
        try {
            config = ServerConfig.load(file, System.getenv(), overrides);
            config.gateway();
            config.core();
        } catch (ConfigException | IllegalArgumentException e) {
            fail("configuration error: " + e.getMessage());
            return;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        log.info("Tern {} starting; java {}; effective configuration:\n{}", TernServer.version(),
                Runtime.version(), config.describe());
        TernServer server;
        try {
            server = TernServer.start(config);
        } catch (Exception e) {
            log.error("cannot start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        // Signals stop the node and exit 0; the hook covers any other exit of the JVM.
        StopSignals.install(server::close);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "tern-shutdown"));
        log.info("{}", readyMessage(server, config.storePath()));
    }

    /** The line scripts and people wait for: where to connect, with the scheme the port speaks. */
    static String readyMessage(TernServer server, Path storePath) {
        String host = server.address().getHostString();
        String main = host + ":" + server.address().getPort();
        String s = server.tls() ? "s" : "";
        String line = "Tern is ready. Connect a client to ws" + s + "://" + main + "/ws (data in "
                + storePath.toAbsolutePath().normalize() + "); health: http" + s + "://" + main + "/healthz"
                + "; web client: http" + s + "://" + main + "/";
        if (server.plainAddress() != null) {
            String plain = host + ":" + server.plainAddress().getPort();
            line += "; without TLS, for a TLS-terminating load balancer: ws://" + plain + "/ws, http://" + plain + "/healthz";
        }
        return line;
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            fail(flag + " needs a value");
        }
        return args[i];
    }

    private static void fail(String message) {
        System.err.println("tern-server: " + message);
        System.exit(2);
    }
}
