package dev.tern.bench.scenario;

import dev.tern.bench.load.Target;
import dev.tern.bench.report.Results;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code check}: a short direct + group + sync round (about two minutes: direct and group twice each,
 * medians) compared with the figures
 * recorded in docs/bench/baseline.json. Throughput is judged as Tern's ratio to the ceiling measured
 * in the same invocation (the machine's state moves both), sync by its time. Exit code 1 when a
 * ratio drops more than {@code --margin} points below the baseline or sync takes more than twice
 * its time; run it before closing work on the write or delivery path (not in CI: timing stays out of
 * tests).
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Regression guard: short direct, group and sync rounds against docs/bench/baseline.json.")
public final class CheckCommand extends Common implements Callable<Integer> {
    @Option(names = "--baseline", description = "Default: ${DEFAULT-VALUE}")
    Path baseline = Path.of("docs/bench/baseline.json");
    @Option(names = "--margin", description = "Points a ratio may drop below the baseline. Default: ${DEFAULT-VALUE}")
    double marginPoints = 10;
    @Option(names = "--record", description = "Write the figures measured now as the new baseline.")
    boolean record;

    /** The figures compared, in baseline.json's names. */
    static final List<String> FIGURES = List.of("direct_ratio", "direct_cpu_ratio", "group_ratio", "sync_ms");

    @Override
    public Integer call() throws Exception {
        // Medians of two rounds: one round of group fan-out moved by 15-20 points between
        // back-to-back runs here, more than the margin.
        runs = 2;
        Map<String, Double> now = new LinkedHashMap<>();
        DirectScenario.Options direct = new DirectScenario.Options(100, 20, 0, seconds(5), seconds(8), 100, json,
                clientThreads);
        Results d = loop("direct", List.of(Target.Kind.DURABLE_RELAY, Target.Kind.TERN),
                (t, res, rep) -> new DirectScenario(direct).run(t, res, rep), "tern-bench check (direct)");
        now.put("direct_ratio", ratio(d, "direct", "delivered_per_s", "durable-relay"));
        now.put("direct_cpu_ratio", ratio(d, "direct", "server_cpu_us_per_msg", "durable-relay"));
        GroupScenario.Options group = new GroupScenario.Options(10, 100, 100, 100, json, clientThreads);
        Results g = loop("group", List.of(Target.Kind.BARE_RELAY, Target.Kind.TERN),
                (t, res, rep) -> new GroupScenario(group).run(t, res, rep), "tern-bench check (group)");
        now.put("group_ratio", ratio(g, "group", "deliveries_per_s", "bare-relay"));
        SyncScenario.Options sync = new SyncScenario.Options(10_000, 1_000, 1, json, clientThreads);
        runs = 1;
        Results s = loop("sync", List.of(Target.Kind.TERN), (t, res, rep) -> new SyncScenario(sync).run(t, res, rep),
                "tern-bench check (sync)");
        now.put("sync_ms", s.median("sync", "tern", "sync_ms"));
        Files.createDirectories(out);
        Files.writeString(out.resolve("check.json"), json(now), StandardCharsets.UTF_8);
        if (record) {
            Files.writeString(baseline, json(now), StandardCharsets.UTF_8);
            System.out.println("\nrecorded as the baseline: " + baseline);
            print(now, now);
            return 0;
        }
        Map<String, Double> base = read(baseline);
        List<String> failed = print(now, base);
        if (!failed.isEmpty()) {
            System.out.println("\nFAILED: " + String.join(", ", failed));
            return 1;
        }
        System.out.println("\nOK: within " + marginPoints + " points of " + baseline);
        return 0;
    }

    private List<String> print(Map<String, Double> now, Map<String, Double> base) {
        System.out.printf(Locale.ROOT, "%n%-20s%12s%12s%s%n", "figure", "now", "baseline", "");
        List<String> failed = new java.util.ArrayList<>();
        for (String f : FIGURES) {
            double n = now.getOrDefault(f, Double.NaN);
            double b = base.getOrDefault(f, Double.NaN);
            String verdict = verdict(f, n, b);
            if (!verdict.isEmpty()) {
                failed.add(f);
            }
            System.out.printf(Locale.ROOT, "%-20s%12.3f%12.3f  %s%n", f, n, b, verdict);
        }
        return failed;
    }

    /** Empty when {@code now} is acceptable against {@code base}, else why not. */
    String verdict(String figure, double now, double base) {
        if (Double.isNaN(base) || Double.isInfinite(base)) {
            return ""; // not in the baseline: reported, not judged
        }
        if (Double.isNaN(now) || Double.isInfinite(now)) {
            return "not measured";
        }
        return switch (figure) {
            // Lower is better: CPU per message relative to the relay's.
            // A multiple, not a share: judged relative to itself, by the margin as a percentage.
            case "direct_cpu_ratio" -> now > base * (1 + marginPoints / 100)
                    ? "more than " + marginPoints + " % above" : "";
            case "sync_ms" -> now > 2 * base ? "more than twice the baseline" : "";
            default -> now < base - marginPoints / 100 ? "more than " + marginPoints + " points below" : "";
        };
    }

    private static double ratio(Results r, String scenario, String figure, String ceiling) {
        return r.median(scenario, "tern", figure) / r.median(scenario, ceiling, figure);
    }

    static String json(Map<String, Double> figures) {
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"measured\": \"").append(java.time.Instant.now()).append("\"");
        for (var e : figures.entrySet()) {
            b.append(",\n  \"").append(e.getKey()).append("\": ").append(String.format(Locale.ROOT, "%.4f", e.getValue()));
        }
        return b.append("\n}\n").toString();
    }

    static Map<String, Double> read(Path file) throws java.io.IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\"(\\w+)\"\\s*:\\s*(-?[0-9.]+(?:[eE][-+]?[0-9]+)?)")
                .matcher(Files.readString(file, StandardCharsets.UTF_8));
        while (m.find()) {
            out.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return out;
    }
}
