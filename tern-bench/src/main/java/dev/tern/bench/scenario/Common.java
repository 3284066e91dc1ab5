package dev.tern.bench.scenario;

import dev.tern.bench.load.Target;
import dev.tern.bench.report.Results;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Options every scenario shares, and the loop over repetitions and targets. */
public class Common {
    @Option(names = "--runs", description = "Repetitions per target (medians are reported). Default: ${DEFAULT-VALUE}")
    int runs = 3;

    @Option(names = "--out", description = "Directory for JSON and PNG results. Default: ${DEFAULT-VALUE}")
    Path out = Path.of("bench-results");

    @Option(names = "--json", description = "Use JSON text frames instead of binary protobuf frames.")
    boolean json;

    @Option(names = "--client-threads", description = "Generator event-loop threads. Default: ${DEFAULT-VALUE}")
    int clientThreads = 2;

    @Option(names = "--heap", description = "Heap of each server process. Default: ${DEFAULT-VALUE}")
    String heap = "1g";

    /** A measurement of one target; returns nothing, records into results. */
    interface Measure {
        void run(Target target, Results results, int repetition) throws Exception;
    }

    /** Runs every target in turn, {@code runs} times, ceilings first in each round. */
    Results loop(String scenario, List<Target.Kind> targets, Measure measure, String command) throws Exception {
        Results results = new Results(command);
        for (int rep = 1; rep <= runs; rep++) {
            for (Target.Kind kind : targets) {
                System.err.printf("%s: %s, run %d of %d%n", scenario, kind.label, rep, runs);
                try (Target t = Target.start(kind, heap, List.of())) {
                    measure.run(t, results, rep);
                }
            }
        }
        return results;
    }

    static Duration seconds(double s) {
        return Duration.ofMillis((long) (s * 1000));
    }

    /** Prints a table of median figures per target and Tern's ratio to the given ceiling. */
    static void table(Results r, String scenario, List<Target.Kind> targets, String ceiling, List<String> figures) {
        List<String> labels = new ArrayList<>();
        targets.forEach(t -> labels.add(t.label));
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%-28s", "median of " + r.runs.stream()
                .filter(x -> x.scenario.equals(scenario) && x.target.equals(labels.getFirst())).count() + " runs"));
        labels.forEach(l -> h.append(String.format(Locale.ROOT, "%16s", l)));
        boolean ratio = labels.contains("tern") && labels.contains(ceiling);
        if (ratio) {
            h.append(String.format(Locale.ROOT, "%16s", "tern/" + ceiling));
        }
        System.out.println();
        System.out.println(h);
        for (String f : figures) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-28s", f));
            for (String l : labels) {
                line.append(String.format(Locale.ROOT, "%16s", fmt(r.median(scenario, l, f))));
            }
            if (ratio) {
                double v = r.median(scenario, "tern", f) / r.median(scenario, ceiling, f);
                line.append(String.format(Locale.ROOT, "%15.0f%%", 100 * v));
            }
            System.out.println(line);
        }
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return Math.abs(v) >= 1000 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
