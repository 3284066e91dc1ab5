package dev.tern.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The server as a separate JVM, so a test can kill -9 it. */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final CountDownLatch ready = new CountDownLatch(1);

    private ServerProcess(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.contains("Tern is ready")) {
                        ready.countDown();
                    }
                }
            } catch (IOException ignored) {
                // the process died
            }
        });
    }

    static ServerProcess start(Path dataDir, int port) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "dev.tern.server.Main"));
        for (Map.Entry<String, String> e : TestNode.settings(dataDir).entrySet()) {
            cmd.add("--set");
            cmd.add(e.getKey() + "=" + (e.getKey().equals("server.port") ? String.valueOf(port) : e.getValue()));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("TERN_"));
        ServerProcess sp = new ServerProcess(pb.start());
        if (!sp.ready.await(60, TimeUnit.SECONDS)) {
            sp.process.destroyForcibly();
            throw new IllegalStateException("server process did not become ready");
        }
        return sp;
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
