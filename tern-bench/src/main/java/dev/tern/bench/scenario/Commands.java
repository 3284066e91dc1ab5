package dev.tern.bench.scenario;

import dev.tern.bench.ceiling.FsyncProbe;
import dev.tern.bench.load.Target;
import dev.tern.bench.report.Plots;
import dev.tern.bench.report.Results;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** The {@code group}, {@code sync}, {@code sessions} and {@code fsync} commands. */
public final class Commands {
    private Commands() {}

    @Command(name = "group", mixinStandardHelpOptions = true,
            description = "Groups of M online members: deliveries/s and time until all have a message, vs bare fan-out.")
    public static final class Group extends Common implements Callable<Integer> {
        @Option(names = "--groups", description = "Groups. Default: ${DEFAULT-VALUE}")
        int groups = 10;
        @Option(names = "--members", description = "Members per group. Default: ${DEFAULT-VALUE}")
        int members = 100;
        @Option(names = "--messages", description = "Messages posted per group. Default: ${DEFAULT-VALUE}")
        int messages = 100;
        @Option(names = "--body", description = "Body bytes. Default: ${DEFAULT-VALUE}")
        int body = 100;
        @Option(names = "--targets", split = ",", description = "Default: ${DEFAULT-VALUE}")
        List<String> targets = List.of("bare-relay", "tern");

        @Override
        public Integer call() throws Exception {
            List<Target.Kind> kinds = DirectCommand.kinds(targets);
            GroupScenario.Options o = new GroupScenario.Options(groups, members, messages, body, json, clientThreads);
            String cmd = String.format(Locale.ROOT, "tern-bench group --groups %d --members %d --messages %d --runs %d",
                    groups, members, messages, runs);
            Results r = loop("group", kinds, (t, res, rep) -> new GroupScenario(o).run(t, res, rep), cmd);
            System.out.println("\ngroup (" + groups + " groups x " + members + " members, " + messages + " messages each)");
            table(r, "group", kinds, "bare-relay", List.of("deliveries_per_s", "server_cpu_us_per_delivery",
                    "generator_cpu_us_per_delivery", "all_members.p50_ms", "all_members.p99_ms",
                    "all_members.max_ms", "delivery.p50_ms", "delivery.p99_ms", "server_cpu_cores", "generator_cpu_cores",
                    "server_max_gc_pause_ms", "store_writes_per_message"));
            r.writeJson(out.resolve("group.json"));
            Plots.latency(r, "group", "all_members", out.resolve("group-all-members-latency.png"));
            return 0;
        }
    }

    @Command(name = "sync", mixinStandardHelpOptions = true,
            description = "Catch-up: one device that missed K messages, and a reconnect storm of D devices.")
    public static final class Sync extends Common implements Callable<Integer> {
        @Option(names = "--missed", description = "Messages missed by the single device. Default: ${DEFAULT-VALUE}")
        int missed = 10_000;
        @Option(names = "--devices", description = "Devices in the reconnect storm. Default: ${DEFAULT-VALUE}")
        int devices = 10_000;
        @Option(names = "--missed-each", description = "Messages each storm device missed. Default: ${DEFAULT-VALUE}")
        int missedEach = 1;

        @Override
        public Integer call() throws Exception {
            List<Target.Kind> kinds = List.of(Target.Kind.TERN);
            SyncScenario.Options o = new SyncScenario.Options(missed, devices, missedEach, json, clientThreads);
            String cmd = String.format(Locale.ROOT, "tern-bench sync --missed %d --devices %d --missed-each %d --runs %d",
                    missed, devices, missedEach, runs);
            Results r = loop("sync", kinds, (t, res, rep) -> new SyncScenario(o).run(t, res, rep), cmd);
            System.out.println("\nsync (" + missed + " missed; storm of " + devices + " devices x " + missedEach + ")");
            table(r, "sync", kinds, "none", List.of("synced", "sync_ms", "sync_entries_per_s", "storm_entries",
                    "storm_all_synced_ms", "storm_device_done.p50_ms", "storm_device_done.p99_ms",
                    "storm_server_cpu_cores", "server_max_gc_pause_ms"));
            r.writeJson(out.resolve("sync.json"));
            Plots.latency(r, "sync", "storm_device_done", out.resolve("sync-storm-latency.png"));
            return 0;
        }
    }

    @Command(name = "sessions", mixinStandardHelpOptions = true,
            description = "N authenticated idle sessions: resume rate, server memory per session, idle CPU.")
    public static final class Sessions extends Common implements Callable<Integer> {
        @Option(names = "--sessions", description = "Sessions (one process may hold < 20,000 files). Default: ${DEFAULT-VALUE}")
        int sessions = 19_000;
        @Option(names = "--hold", description = "Seconds to hold them idle. Default: ${DEFAULT-VALUE}")
        int hold = 20;

        @Override
        public Integer call() throws Exception {
            List<Target.Kind> kinds = List.of(Target.Kind.TERN);
            SessionsScenario.Options o = new SessionsScenario.Options(sessions, hold, json, clientThreads);
            String cmd = String.format(Locale.ROOT, "tern-bench sessions --sessions %d --hold %d --runs %d",
                    sessions, hold, runs);
            Results r = loop("sessions", kinds, (t, res, rep) -> new SessionsScenario(o).run(t, res, rep), cmd);
            System.out.println("\nsessions (" + sessions + " idle sessions held " + hold + " s)");
            table(r, "sessions", kinds, "none", List.of("sessions_open_after_hold", "cold_connect_and_resume_per_s",
                    "connect_and_resume_per_s", "connects_per_s", "connect_server_cpu_cores", "connect_generator_cpu_cores",
                    "resumes_per_s", "resume_server_cpu_cores", "resume_generator_cpu_cores", "connect.p99_ms", "resume.p99_ms",
                    "server_rss_empty_mb", "server_rss_full_mb", "server_rss_per_session_bytes",
                    "server_heap_per_session_bytes", "server_idle_cpu_cores", "server_open_files",
                    "server_max_gc_pause_ms"));
            double perSession = r.median("sessions", "tern", "server_rss_per_session_bytes")
                    + Math.max(0, r.median("sessions", "tern", "server_heap_per_session_bytes"));
            System.out.printf(Locale.ROOT, "%nimplied memory for 1,000,000 sessions: %.1f GiB (RSS growth + heap growth per session)%n",
                    perSession * 1_000_000 / (1L << 30));
            r.writeJson(out.resolve("sessions.json"));
            return 0;
        }
    }

    @Command(name = "overload", mixinStandardHelpOptions = true,
            description = "Capacity, then half of it, then FACTOR times it offered (open loop); goodput, latency of accepted sends, recovery, nothing acknowledged lost.")
    public static final class Overload extends Common implements Callable<Integer> {
        @Option(names = "--pairs", description = "Sender/receiver pairs. Default: ${DEFAULT-VALUE}")
        int pairs = 100;
        @Option(names = "--window", description = "Sends in flight per sender while measuring capacity. Default: ${DEFAULT-VALUE}")
        int window = 20;
        @Option(names = "--warmup", description = "Seconds of closed-loop warm-up. Default: ${DEFAULT-VALUE}")
        double warmup = 8;
        @Option(names = "--capacity-seconds", description = "Seconds of closed loop measuring capacity. Default: ${DEFAULT-VALUE}")
        double capacitySeconds = 10;
        @Option(names = "--half-seconds", description = "Seconds offered at half the capacity. Default: ${DEFAULT-VALUE}")
        double halfSeconds = 10;
        @Option(names = "--overload-seconds", description = "Seconds offered at FACTOR x capacity. Default: ${DEFAULT-VALUE}")
        double overloadSeconds = 30;
        @Option(names = "--factor", description = "Offered load during overload, times capacity. Default: ${DEFAULT-VALUE}")
        double factor = 3;
        @Option(names = "--body", description = "Body bytes. Default: ${DEFAULT-VALUE}")
        int body = 100;
        @Option(names = "--ignore-hints", description = "Senders keep sending after OVERLOADED instead of waiting out retry_after_ms like the SDK.")
        boolean ignoreHints;

        @Override
        public Integer call() throws Exception {
            List<Target.Kind> kinds = List.of(Target.Kind.TERN);
            OverloadScenario.Options o = new OverloadScenario.Options(pairs, window, warmup, capacitySeconds, halfSeconds,
                    overloadSeconds, factor, body, json, clientThreads, ignoreHints);
            String cmd = String.format(Locale.ROOT, "tern-bench overload --pairs %d --factor %.1f --overload-seconds %.0f --runs %d%s",
                    pairs, factor, overloadSeconds, runs, ignoreHints ? " --ignore-hints" : "");
            Results r = loop("overload", kinds, (t, res, rep) -> new OverloadScenario(o).run(t, res, rep), cmd);
            System.out.println("\noverload (" + pairs + " pairs; " + factor + "x capacity for " + overloadSeconds + " s)");
            table(r, "overload", kinds, "none", List.of("capacity_per_s", "capacity_refused", "half_offered_per_s", "half_accepted_per_s",
                    "half_ack_p99_ms", "half_refused", "half_send_lag_p99_ms", "overload_target_per_s",
                    "overload_offered_per_s", "overload_not_offered", "overload_held_by_hints_per_s", "overload_send_lag_p99_ms", "overload_accepted_per_s", "overload_refused_per_s",
                    "overload_other_errors", "goodput_vs_capacity", "overload_ack_p99_ms", "overload_ack_p99_vs_half",
                    "half_server_ack_p99_ms", "overload_server_ack_p50_ms", "overload_server_ack_p99_ms", "read_pauses",
                    "overload_max_heap_used_mb", "server_heap_after_gc_mb", "recovery_ms", "acked_total", "acked_missing",
                    "duplicates", "stray_replies", "overload_server_cpu_cores", "overload_generator_cpu_cores",
                    "server_max_gc_pause_ms"));
            r.writeJson(out.resolve("overload.json"));
            Plots.latency(r, "overload", "overload_ack", out.resolve("overload-ack-latency.png"));
            Plots.throughput(r, "overload", "accepted sends/s", out.resolve("overload-throughput.png"));
            return 0;
        }
    }

    @Command(name = "media", mixinStandardHelpOptions = true,
            description = "One file uploaded (tus, resumable chunks) and downloaded over loopback: MB/s each way.")
    public static final class Media extends Common implements Callable<Integer> {
        @Option(names = "--mib", description = "File size in MiB. Default: ${DEFAULT-VALUE}")
        int mib = 1024;
        @Option(names = "--work", description = "Directory for the generated and downloaded files. Default: ${DEFAULT-VALUE}")
        Path work = Path.of(System.getProperty("java.io.tmpdir"));

        @Override
        public Integer call() throws Exception {
            List<Target.Kind> kinds = List.of(Target.Kind.TERN);
            MediaScenario.Options o = new MediaScenario.Options((long) mib << 20);
            String cmd = String.format(Locale.ROOT, "tern-bench media --mib %d --runs %d", mib, runs);
            Results r = loop("media", kinds, (t, res, rep) -> new MediaScenario(o).run(t, res, rep, work), cmd);
            System.out.println("\nmedia (one " + mib + " MiB file up and down over loopback)");
            table(r, "media", kinds, "none", List.of("upload_mb_per_s", "upload_s", "upload_server_cpu_cores",
                    "download_mb_per_s", "download_s", "download_server_cpu_cores", "server_max_gc_pause_ms"));
            r.writeJson(out.resolve("media.json"));
            Plots.throughput(r, "media", "upload MB/s", out.resolve("media-upload-throughput.png"));
            return 0;
        }
    }

    @Command(name = "fsync", mixinStandardHelpOptions = true, description = "Raw fsync rate of a directory (ceiling d).")
    public static final class Fsync implements Callable<Integer> {
        @Option(names = "--dir", description = "Directory to test (a temp dir under it is used). Default: ${DEFAULT-VALUE}")
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        @Option(names = "--seconds", description = "Default: ${DEFAULT-VALUE}")
        int seconds = 5;

        @Override
        public Integer call() throws Exception {
            Path d = Files.createTempDirectory(dir, "tern-fsync-");
            FsyncProbe.Result res = FsyncProbe.run(d, Duration.ofSeconds(seconds), 4096);
            System.out.println(res);
            return 0;
        }
    }
}
