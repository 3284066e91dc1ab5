package dev.tern.bench.report;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything one invocation measured: named runs (target × scenario × repetition), their figures,
 * latency histograms and throughput timelines. Written as JSON and PNG plots, printed as a table.
 */
public final class Results {
    /** One measured run. Figures are plain numbers with their unit in the name. */
    public static final class Run {
        public final String scenario;
        public final String target;
        public final int repetition;
        public final Map<String, Double> figures = new LinkedHashMap<>();
        public final Map<String, Histogram> latencies = new LinkedHashMap<>();
        public final List<double[]> timeline = new ArrayList<>(); // {second, per-second rate}

        public Run(String scenario, String target, int repetition) {
            this.scenario = scenario;
            this.target = target;
            this.repetition = repetition;
        }

        public Run put(String name, double value) {
            figures.put(name, value);
            return this;
        }

        /**
         * CPU per unit of work: {@code cores} (a figure already put) per {@code rate} (one too), in
         * microseconds, as {@code name}; the headline cost figure beside each throughput.
         */
        public Run perUnit(String name, String cores, String rate) {
            Double c = figures.get(cores);
            Double r = figures.get(rate);
            if (c != null && r != null && r > 0) {
                figures.put(name, c * 1e6 / r);
            }
            return this;
        }

        /** Adds p50/p90/p99/p99.9/max of a histogram recorded in microseconds, as milliseconds. */
        public Run latency(String name, Histogram h) {
            latencies.put(name, h);
            figures.put(name + ".count", (double) h.getTotalCount());
            for (double p : new double[]{50, 90, 99, 99.9}) {
                figures.put(name + ".p" + fmtP(p) + "_ms", h.getValueAtPercentile(p) / 1000.0);
            }
            figures.put(name + ".max_ms", h.getMaxValue() / 1000.0);
            return this;
        }
    }

    public final String command;
    public final Instant started = Instant.now();
    public final List<Run> runs = new ArrayList<>();
    public final Map<String, String> environment = new LinkedHashMap<>();

    public Results(String command) {
        this.command = command;
        environment.put("java", Runtime.version().toString());
        environment.put("cores", String.valueOf(ProcStats.cores()));
        environment.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    }

    public Run add(Run r) {
        runs.add(r);
        return r;
    }

    /** Median of a figure over the repetitions of one scenario and target. */
    public double median(String scenario, String target, String figure) {
        List<Double> v = new ArrayList<>();
        for (Run r : runs) {
            if (r.scenario.equals(scenario) && r.target.equals(target) && r.figures.containsKey(figure)) {
                v.add(r.figures.get(figure));
            }
        }
        if (v.isEmpty()) {
            return Double.NaN;
        }
        v.sort(Double::compare);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    public void writeJson(Path file) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("{\n  \"command\": ").append(str(command)).append(",\n  \"started\": ").append(str(started.toString()));
        b.append(",\n  \"environment\": {");
        int i = 0;
        for (var e : environment.entrySet()) {
            b.append(i++ == 0 ? "" : ", ").append(str(e.getKey())).append(": ").append(str(e.getValue()));
        }
        b.append("},\n  \"runs\": [");
        for (int r = 0; r < runs.size(); r++) {
            Run run = runs.get(r);
            b.append(r == 0 ? "\n" : ",\n").append("    {\"scenario\": ").append(str(run.scenario))
                    .append(", \"target\": ").append(str(run.target)).append(", \"repetition\": ").append(run.repetition)
                    .append(", \"figures\": {");
            int j = 0;
            for (var e : run.figures.entrySet()) {
                b.append(j++ == 0 ? "" : ", ").append(str(e.getKey())).append(": ").append(num(e.getValue()));
            }
            b.append("}, \"timeline\": [");
            for (int t = 0; t < run.timeline.size(); t++) {
                double[] p = run.timeline.get(t);
                b.append(t == 0 ? "" : ", ").append("[").append(num(p[0])).append(", ").append(num(p[1])).append("]");
            }
            b.append("]}");
        }
        b.append("\n  ]\n}\n");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, b.toString());
    }

    public static String fmtP(double p) {
        return p == Math.rint(p) ? String.valueOf((int) p) : String.valueOf(p).replace('.', '_');
    }

    private static String str(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.4f", v);
    }
}
