package dev.tern.blob.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real S3-compatible server for the tests: S3Proxy (org.gaul:s3proxy, from the test classpath) with its
 * file-system backend in a temp directory, run as a child JVM on a free loopback port. A child process, not
 * in this JVM, so that its buffers do not count in the heap the large-blob test measures, and so the SDK
 * talks to it over a real socket as it would to any S3 service. One server serves every test of the
 * module's JVM; it is stopped when the JVM exits.
 */
final class S3ProxyServer {
    static final String IDENTITY = "tern-test";
    static final String CREDENTIAL = "tern-test-secret-key";

    private static S3ProxyServer shared;
    private static RuntimeException failed;

    private final Process process;
    private final URI endpoint;
    private final Path dir;

    private S3ProxyServer(Process process, URI endpoint, Path dir) {
        this.process = process;
        this.endpoint = endpoint;
        this.dir = dir;
    }

    /** The module's server, started on first use. */
    static synchronized S3ProxyServer shared() {
        if (failed != null) {
            // Every test would otherwise wait for its own failed start.
            throw failed;
        }
        if (shared == null) {
            try {
                shared = start();
            } catch (IOException e) {
                failed = new UncheckedIOException(e);
                throw failed;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            S3ProxyServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "s3proxy-stop"));
        }
        return shared;
    }

    URI endpoint() {
        return endpoint;
    }

    private static S3ProxyServer start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("tern-s3proxy-");
        Path data = Files.createDirectories(dir.resolve("data"));
        IOException last = null;
        // The port is free when chosen but could be taken before S3Proxy binds it: then try another.
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            Path properties = dir.resolve("s3proxy.properties");
            Files.writeString(properties, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + IDENTITY,
                    "s3proxy.credential=" + CREDENTIAL,
                    "jclouds.provider=filesystem",
                    "jclouds.identity=" + IDENTITY,
                    "jclouds.credential=" + CREDENTIAL,
                    "jclouds.filesystem.basedir=" + data,
                    ""));
            Path log = dir.resolve("s3proxy-" + attempt + ".log");
            // S3Proxy logs every request at DEBUG without a configuration of its own.
            Path logback = dir.resolve("logback.xml");
            Files.writeString(logback, """
                    <configuration>
                      <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
                        <encoder><pattern>%d %-5level %logger{20} - %msg%n</pattern></encoder>
                      </appender>
                      <root level="WARN"><appender-ref ref="out"/></root>
                    </configuration>
                    """);
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process process = new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-Dlogback.configurationFile=" + logback,
                    "-cp", System.getProperty("java.class.path"),
                    "org.gaul.s3proxy.Main", "--properties", properties.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (awaitListening(process, port, 60_000)) {
                return new S3ProxyServer(process, URI.create("http://127.0.0.1:" + port), dir);
            }
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            last = new IOException("s3proxy did not listen on 127.0.0.1:" + port + " (exit "
                    + (process.isAlive() ? "none" : process.exitValue()) + "); its log:\n" + Files.readString(log));
        }
        throw last;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean awaitListening(Process process, int port, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        return false;
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } catch (IOException | InterruptedException e) {
            // The JVM is exiting; a leftover temp directory is all that can come of it.
        }
    }
}
