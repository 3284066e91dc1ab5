package dev.tern.bench.load;

import dev.tern.bench.report.ProcStats;
import dev.tern.bench.report.Results;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * Once a second: the rate of a counter (into the run's timeline), and a live progress line on stderr
 * with the server's and the generator's CPU.
 */
public final class Sampler implements AutoCloseable {
    private final Results.Run run;
    private final LongAdder counter;
    private final ConcurrentHistogram watched;
    private final String label;
    private final long serverPid;
    private final Thread thread;
    private volatile boolean stop;

    public Sampler(Results.Run run, LongAdder counter, ConcurrentHistogram watched, long serverPid, String label) {
        this.run = run;
        this.counter = counter;
        this.watched = watched;
        this.label = label;
        this.serverPid = serverPid;
        this.thread = Thread.ofPlatform().daemon().name("bench-sampler").start(this::loop);
    }

    private void loop() {
        long start = System.nanoTime();
        long last = counter.sum();
        long lastT = start;
        double lastServer = ProcStats.cpuSeconds(serverPid);
        double lastGen = ProcStats.cpuSeconds(ProcessHandle.current().pid());
        while (!stop) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            long c = counter.sum();
            double dt = (now - lastT) / 1e9;
            double rate = (c - last) / dt;
            double server = ProcStats.cpuSeconds(serverPid);
            double gen = ProcStats.cpuSeconds(ProcessHandle.current().pid());
            synchronized (run.timeline) {
                run.timeline.add(new double[]{Math.round((now - start) / 1e9), rate});
            }
            Histogram h = watched.copy();
            System.err.printf(Locale.ROOT, "  [%s] %3ds  %,10.0f/s  p99 %7.2f ms  cpu server %.2f gen %.2f%n", label,
                    Math.round((now - start) / 1e9), rate, h.getValueAtPercentile(99) / 1000.0,
                    (server - lastServer) / dt, (gen - lastGen) / dt);
            last = c;
            lastT = now;
            lastServer = server;
            lastGen = gen;
        }
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
    }
}
