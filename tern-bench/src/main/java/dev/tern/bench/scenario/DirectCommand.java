package dev.tern.bench.scenario;

import dev.tern.bench.load.Target;
import dev.tern.bench.report.Plots;
import dev.tern.bench.report.Results;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code direct}: sender→receiver pairs against Tern and the relay ceilings, in one invocation. */
@Command(name = "direct", mixinStandardHelpOptions = true,
        description = "Pairs in direct chats: delivered msgs/s, ack and end-to-end latency, vs the relay ceilings.")
public final class DirectCommand extends Common implements Callable<Integer> {
    @Option(names = "--pairs", description = "Sender→receiver pairs. Default: ${DEFAULT-VALUE}")
    int pairs = 100;

    @Option(names = "--window", description = "Sends in flight per sender (closed loop). Default: ${DEFAULT-VALUE}")
    int window = 20;

    @Option(names = "--rate", description = "Total offered msgs/s (open loop); 0 = closed loop. Default: ${DEFAULT-VALUE}")
    int rate;

    @Option(names = "--warmup", description = "Seconds before measuring. Default: ${DEFAULT-VALUE}")
    double warmup = 3;

    @Option(names = "--duration", description = "Seconds measured. Default: ${DEFAULT-VALUE}")
    double duration = 10;

    @Option(names = "--body", description = "Message body bytes. Default: ${DEFAULT-VALUE}")
    int body = 100;

    @Option(names = "--targets", split = ",", description = "Targets: tern, durable-relay, bare-relay. Default: ${DEFAULT-VALUE}")
    List<String> targets = List.of("durable-relay", "tern");

    @Option(names = "--sweep", split = ",", description = "Open-loop rates to sweep (msgs/s), e.g. 10000,20000,40000; reports the knee.")
    List<Integer> sweep = List.of();

    @Option(names = "--knee-p99-ms", description = "Latency bound of the knee: the highest swept rate with >= 95%% delivered and e2e p99 within it. Default: ${DEFAULT-VALUE}")
    double kneeP99Ms = 10;

    @Override
    public Integer call() throws Exception {
        List<Target.Kind> kinds = kinds(targets);
        List<Integer> rates = sweep.isEmpty() ? List.of(rate) : sweep;
        Results all = new Results("tern-bench direct " + String.join(" ", describe()));
        for (int r : rates) {
            DirectScenario.Options o = new DirectScenario.Options(pairs, window, r, seconds(warmup), seconds(duration),
                    body, json, clientThreads);
            Results res = loop("direct", kinds, (t, results, rep) -> new DirectScenario(o).run(t, results, rep),
                    all.command);
            for (Results.Run run : res.runs) {
                all.add(run);
            }
            String title = r == 0 ? "closed loop, " + pairs + " pairs x " + window + " in flight"
                    : "open loop at " + r + " msgs/s";
            System.out.println("\ndirect (" + title + ")");
            List<String> figures = new java.util.ArrayList<>(List.of("delivered_per_s", "server_cpu_us_per_msg",
                    "generator_cpu_us_per_msg", "ack.p50_ms", "ack.p99_ms", "e2e.p50_ms", "e2e.p99_ms",
                    "e2e.p99_9_ms", "e2e.max_ms", "server_cpu_cores", "generator_cpu_cores", "server_max_gc_pause_ms",
                    "errors"));
            if (r > 0) {
                figures.addAll(List.of("send_lag.p50_ms", "send_lag.p99_ms"));
            }
            table(res, "direct", kinds, "durable-relay", figures);
        }
        if (rates.size() > 1) {
            knee(all, kinds, kneeP99Ms);
        }
        all.writeJson(out.resolve("direct.json"));
        Plots.latency(all, "direct", "e2e", out.resolve("direct-e2e-latency.png"));
        Plots.throughput(all, "direct", "delivered msgs/s", out.resolve("direct-throughput.png"));
        System.out.println("\nresults: " + out.resolve("direct.json") + ", plots: " + out.resolve("direct-*.png"));
        return 0;
    }

    /** The highest swept rate at which each target delivered ≥ 95% of the offer with p99 e2e within the bound. */
    private static void knee(Results all, List<Target.Kind> kinds, double p99Ms) {
        for (Target.Kind k : kinds) {
            int knee = 0;
            for (Results.Run run : all.runs) {
                if (!run.target.equals(k.label)) {
                    continue;
                }
                double offered = run.figures.getOrDefault("offered_rate", 0.0);
                boolean ok = run.figures.getOrDefault("delivered_per_s", 0.0) >= 0.95 * offered
                        && run.figures.getOrDefault("e2e.p99_ms", Double.MAX_VALUE) <= p99Ms;
                if (ok) {
                    knee = Math.max(knee, (int) offered);
                }
            }
            System.out.printf("knee of %s: %,d msgs/s (highest rate with >=95%% delivered and p99 <= %.0f ms)%n",
                    k.label, knee, p99Ms);
        }
    }

    private List<String> describe() {
        List<String> d = new ArrayList<>(List.of("--pairs", "" + pairs, "--window", "" + window, "--rate", "" + rate,
                "--duration", "" + duration, "--runs", "" + runs));
        if (json) {
            d.add("--json");
        }
        return d;
    }

    static List<Target.Kind> kinds(List<String> names) {
        List<Target.Kind> out = new ArrayList<>();
        for (String n : names) {
            out.add(switch (n) {
                case "tern" -> Target.Kind.TERN;
                case "tern-on-write" -> Target.Kind.TERN_ON_WRITE;
                case "durable-relay" -> Target.Kind.DURABLE_RELAY;
                case "bare-relay" -> Target.Kind.BARE_RELAY;
                default -> throw new IllegalArgumentException("unknown target " + n);
            });
        }
        return out;
    }
}
