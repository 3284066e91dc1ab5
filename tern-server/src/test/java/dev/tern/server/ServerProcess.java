package dev.tern.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The server as a separate JVM, so a test can kill -9 it. */
final class ServerProcess implements AutoCloseable {
    private static final int TAIL_LINES = 40;

    private final Process process;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Deque<String> tail = new ArrayDeque<>();

    private ServerProcess(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > TAIL_LINES) {
                            tail.removeFirst();
                        }
                    }
                    if (line.contains("Tern is ready")) {
                        ready.countDown();
                    }
                }
            } catch (IOException ignored) {
                // the process died
            }
        });
    }

    /** A port that was free a moment ago, so that a restarted server can listen where clients reconnect. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static ServerProcess start(Path dataDir, int port) throws IOException, InterruptedException {
        return start(dataDir, port, Map.of());
    }

    /** With {@code extra} settings on top of the test settings. */
    static ServerProcess start(Path dataDir, int port, Map<String, String> extra) throws IOException, InterruptedException {
        return start(dataDir, port, extra, "-Xmx512m");
    }

    /** The same with a given maximum heap, e.g. "-Xmx160m". */
    static ServerProcess start(Path dataDir, int port, Map<String, String> extra, String maxHeap)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, maxHeap, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "dev.tern.server.Main"));
        Map<String, String> settings = new HashMap<>(TestNode.settings(dataDir));
        settings.putAll(extra);
        settings.put("server.port", String.valueOf(port));
        for (Map.Entry<String, String> e : settings.entrySet()) {
            cmd.add("--set");
            cmd.add(e.getKey() + "=" + e.getValue());
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("TERN_"));
        ServerProcess sp = new ServerProcess(pb.start());
        if (!sp.ready.await(60, TimeUnit.SECONDS)) {
            sp.process.destroyForcibly();
            throw new IllegalStateException("server process did not become ready; its last output:\n" + sp.tail());
        }
        return sp;
    }

    /** The last lines the process printed, for a failure message. */
    String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("server process survived SIGKILL for 30 s");
        }
    }

    /** SIGTERM, as a service manager stops a node; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("server process did not stop within 30 s of SIGTERM; its last output:\n" + tail());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
