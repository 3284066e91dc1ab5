package dev.tern.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test, started as its own JVM from this classpath so its CPU and memory are measured
 * apart from the generator's: Tern itself, or one of the ceiling relays.
 */
public final class Target implements AutoCloseable {
    /** What to start. */
    public enum Kind {
        TERN("tern"), BARE_RELAY("bare-relay"), DURABLE_RELAY("durable-relay"),
        /** Tern with fan-out on write for every group size (a log entry per member per message). */
        TERN_ON_WRITE("tern-on-write");

        public final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private static final Pattern GC_PAUSE = Pattern.compile("Pause[^\\n]*?([0-9.]+)ms");

    public final Kind kind;
    public final int port;
    public final Path dataDir;
    public final Path gcLog;
    private final Process process;

    private Target(Kind kind, int port, Path dataDir, Path gcLog, Process process) {
        this.kind = kind;
        this.port = port;
        this.dataDir = dataDir;
        this.gcLog = gcLog;
        this.process = process;
    }

    /** Starts the target and waits until it listens. {@code heap} is e.g. "1g". */
    public static Target start(Kind kind, String heap, List<String> extraArgs) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("tern-bench-" + kind.label + "-");
        Path gcLog = dir.resolve("gc.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>();
        // Optional CPU pinning of the server (e.g. "0"), with the generator pinned elsewhere by the
        // caller, to keep the two processes from preempting each other in latency runs.
        String cpus = System.getenv("BENCH_SERVER_CPUS");
        if (cpus != null && !cpus.isBlank()) {
            cmd.addAll(List.of("taskset", "-c", cpus.trim()));
        }
        cmd.addAll(List.of(java, "-Xms" + heap, "-Xmx" + heap, "-XX:+UseZGC",
                "-XX:+AlwaysPreTouch", "--enable-native-access=ALL-UNNAMED",
                "-Xlog:gc*:file=" + gcLog + ":uptime"));
        // Extra server JVM options, e.g. a JFR recording while profiling a bottleneck.
        String extra = System.getenv("BENCH_SERVER_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
        String ready;
        switch (kind) {
            case TERN, TERN_ON_WRITE -> {
                cmd.addAll(List.of("dev.tern.server.Main",
                        "--set", "server.port=" + port,
                        "--set", "store.path=" + dir.resolve("data"),
                        // Registration of thousands of bench users must not be dominated by Argon2id.
                        "--set", "auth.argon2-memory-kib=64", "--set", "auth.argon2-iterations=1",
                        "--set", "timeouts.idle=10m", "--set", "timeouts.auth=1m",
                        "--set", "limits.max-group-members=100000",
                        // Benchmarks measure capacity, not policy: thousands of bench users register
                        // and send from a few loopback addresses, far above the per-user defaults.
                        "--set", "limits.send-rate-device=0/1s", "--set", "limits.send-rate-user=0/1s",
                        "--set", "limits.login-attempts-per-address=0/1s",
                        "--set", "limits.registrations-per-address=0/1s", "--set", "limits.groups-per-user=0/1s",
                        "--set", "limits.connections-per-address=0"));
                if (kind == Kind.TERN_ON_WRITE) {
                    cmd.addAll(List.of("--set", "groups.broadcast-threshold=100000"));
                }
                ready = "Tern is ready";
            }
            default -> {
                cmd.addAll(List.of("dev.tern.bench.ceiling.RelayServer", "--port", String.valueOf(port),
                        "--mode", kind == Kind.BARE_RELAY ? "bare" : "durable", "--data", dir.resolve("data").toString()));
                ready = "RELAY READY";
            }
        }
        cmd.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("TERN_"));
        Process p = pb.start();
        CountDownLatch up = new CountDownLatch(1);
        Path log = dir.resolve("server.log");
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 var out = Files.newBufferedWriter(log)) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.write(line);
                    out.newLine();
                    out.flush();
                    if (line.contains(ready)) {
                        up.countDown();
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        });
        // Tern logs its ready line at INFO; with WARN it would be silent, so wait for the port instead.
        if (!up.await(1, TimeUnit.SECONDS)) {
            waitForPort(port, 60);
        }
        return new Target(kind, port, dir, gcLog, p);
    }

    private static void waitForPort(int port, int seconds) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try (var s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IOException("target did not open port " + port + " within " + seconds + " s");
    }

    public URI uri() {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    /** The HTTP address of the target's metrics (Tern only). */
    public URI metricsUri() {
        return URI.create("http://127.0.0.1:" + port + "/metrics");
    }

    public long pid() {
        return process.pid();
    }

    /** Longest GC pause in the server's GC log so far, in milliseconds (0 when none). */
    public double maxGcPauseMillis() {
        try {
            double max = 0;
            Matcher m = GC_PAUSE.matcher(Files.readString(gcLog));
            while (m.find()) {
                max = Math.max(max, Double.parseDouble(m.group(1)));
            }
            return max;
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Heap in use, as the JVM reports it (jcmd GC.heap_info), in bytes; -1 when unknown. */
    public long heapUsedBytes(boolean collectFirst) {
        String jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd").toString();
        try {
            if (collectFirst) {
                new ProcessBuilder(jcmd, String.valueOf(pid()), "GC.run").redirectErrorStream(true).start().waitFor();
            }
            Process p = new ProcessBuilder(jcmd, String.valueOf(pid()), "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            Matcher m = Pattern.compile("used (\\d+)([KMG])").matcher(out);
            if (m.find()) {
                long n = Long.parseLong(m.group(1));
                return n << switch (m.group(2)) { case "K" -> 10; case "M" -> 20; default -> 30; };
            }
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
