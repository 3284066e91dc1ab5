package dev.tern.bench.report;

import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** PNG plots of a scenario: latency by percentile, and throughput over time, one series per run. */
public final class Plots {
    private static final double[] PERCENTILES = {50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99};

    static {
        // Plots are drawn on machines without a display (CI, servers).
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {}

    /** Latency (ms) against percentile on a "nines" axis, for the named histogram of each run. */
    public static void latency(Results results, String scenario, String histogram, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500)
                .title(scenario + ": " + histogram + " latency by percentile")
                .xAxisTitle("percentile").yAxisTitle("ms").build();
        chart.getStyler().setYAxisMin(0.0);
        // Evenly spaced points, one per percentile, labelled with it (a "nines" axis).
        chart.getStyler().setxAxisTickLabelsFormattingFunction(x -> {
            int i = (int) Math.round(x);
            if (Math.abs(x - i) > 1e-6 || i < 0 || i >= PERCENTILES.length) {
                return " "; // XChart cannot lay out an empty label
            }
            return Results.fmtP(PERCENTILES[i]).replace('_', '.') + "%";
        });
        boolean any = false;
        for (Results.Run r : results.runs) {
            Histogram h = r.latencies.get(histogram);
            if (!r.scenario.equals(scenario) || h == null || h.getTotalCount() == 0) {
                continue;
            }
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < PERCENTILES.length; i++) {
                xs.add((double) i);
                ys.add(h.getValueAtPercentile(PERCENTILES[i]) / 1000.0);
            }
            XYSeries s = chart.addSeries(label(r), xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
            any = true;
        }
        if (any) {
            save(chart, file);
        }
    }

    /** Per-second throughput of each run of the scenario. */
    public static void throughput(Results results, String scenario, String unit, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500).title(scenario + ": throughput over time")
                .xAxisTitle("seconds").yAxisTitle(unit).build();
        chart.getStyler().setYAxisMin(0.0);
        boolean any = false;
        for (Results.Run r : results.runs) {
            if (!r.scenario.equals(scenario) || r.timeline.isEmpty()) {
                continue;
            }
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (double[] p : r.timeline) {
                xs.add(p[0]);
                ys.add(p[1]);
            }
            chart.addSeries(label(r), xs, ys).setMarker(SeriesMarkers.NONE);
            any = true;
        }
        if (any) {
            save(chart, file);
        }
    }

    private static void save(XYChart chart, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** A series name unique within a result set: a sweep has one run per target and offered rate. */
    private static String label(Results.Run r) {
        double rate = r.figures.getOrDefault("offered_rate", 0.0);
        return r.target + (rate > 0 ? String.format(java.util.Locale.ROOT, " @%,.0f/s", rate) : "") + " #" + r.repetition;
    }
}
