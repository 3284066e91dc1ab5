package dev.tern.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One histogram of the server's /metrics (Prometheus text), as cumulative counts per upper bound.
 * Two scrapes bracket a phase; their difference gives the server's own view of it (e.g. a send's
 * arrival to its ack), to set beside what the generator measured over the network.
 */
public final class ServerHistogram {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final TreeMap<Double, Double> cumulative;

    private ServerHistogram(TreeMap<Double, Double> cumulative) {
        this.cumulative = cumulative;
    }

    /** Scrapes {@code name} (e.g. "tern_send_ack_seconds") from {@code metrics}; empty when unavailable. */
    public static ServerHistogram scrape(URI metrics, String name) {
        TreeMap<Double, Double> m = new TreeMap<>();
        try {
            String text = HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher b = Pattern.compile("(?m)^" + Pattern.quote(name) + "_bucket\\{[^}]*le=\"([^\"]+)\"[^}]*} ([0-9.eE+-]+)$")
                    .matcher(text);
            while (b.find()) {
                double le = b.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(b.group(1));
                m.merge(le, Double.parseDouble(b.group(2)), Double::sum);
            }
        } catch (IOException e) {
            return new ServerHistogram(m);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new ServerHistogram(m);
    }

    /** The sum of a counter's samples (all label sets) on {@code metrics}; NaN when unavailable. */
    public static double counter(URI metrics, String name) {
        try {
            String text = HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher c = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(text);
            double sum = Double.NaN;
            while (c.find()) {
                sum = (Double.isNaN(sum) ? 0 : sum) + Double.parseDouble(c.group(1));
            }
            return sum;
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    /**
     * The upper bound of the bucket holding quantile {@code q} of what was recorded between
     * {@code before} and this scrape, in the histogram's unit; NaN when nothing was recorded.
     */
    public double quantileSince(ServerHistogram before, double q) {
        double total = count(cumulative, Double.POSITIVE_INFINITY) - count(before.cumulative, Double.POSITIVE_INFINITY);
        if (total <= 0) {
            return Double.NaN;
        }
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            double n = e.getValue() - count(before.cumulative, e.getKey());
            if (n >= q * total) {
                return e.getKey();
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    private static double count(TreeMap<Double, Double> m, double le) {
        Double v = m.get(le);
        return v == null ? 0 : v;
    }
}
