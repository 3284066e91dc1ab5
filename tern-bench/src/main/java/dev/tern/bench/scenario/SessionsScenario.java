package dev.tern.bench.scenario;

import dev.tern.bench.load.Fleet;
import dev.tern.bench.load.Target;
import dev.tern.bench.load.WsClient;
import dev.tern.bench.report.ProcStats;
import dev.tern.bench.report.Results;
import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.Ping;
import org.HdrHistogram.ConcurrentHistogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * N authenticated idle sessions. Users are registered and logged in first (tickets), then every
 * connection is closed and N new ones resume their tickets at once from 16 source addresses: the
 * resume rate. The sessions are then held idle with heartbeats: server RSS and heap per session
 * (against the same server before the sessions) and idle CPU.
 */
public final class SessionsScenario {

    /** Shape of the load. */
    public record Options(int sessions, int holdSeconds, boolean json, int clientThreads) {}

    private final Options o;

    public SessionsScenario(Options o) {
        this.o = o;
    }

    public Results.Run run(Target target, Results results, int repetition) throws Exception {
        Results.Run run = results.add(new Results.Run("sessions", target.kind.label, repetition));
        try (WsClient.Pool pool = new WsClient.Pool(o.clientThreads())) {
            List<Fleet.Account> accounts = Fleet.login(pool, target.uri(), "idle_", o.sessions(), o.json(), i -> (c, f) -> { });
            for (Fleet.Account a : accounts) {
                a.client().close();
            }
            // A first resume round warms the server's caches (tickets, users, sequencers), so the
            // measured round shows what a session costs rather than what a cold cache costs.
            ConcurrentHistogram coldLatency = new ConcurrentHistogram(600_000_000L, 3);
            long cold0 = System.nanoTime();
            List<Fleet.Account> warmed = thousandInFlight(accounts.size(), i -> Fleet.resume(pool, target.uri(), i,
                    accounts.get(i).username(), accounts.get(i).session().getTicket(), o.json(), (c, f) -> { }), coldLatency);
            double coldSeconds = (System.nanoTime() - cold0) / 1e9;
            warmed.forEach(a -> a.client().close());
            Thread.sleep(3000); // the closed connections are gone before the "empty" baseline
            long rssEmpty = ProcStats.rssBytes(target.pid());
            long heapEmpty = target.heapUsedBytes(true);

            // The measured round in two steps, each with the CPU split: open every connection (TCP +
            // WebSocket handshake), then resume a ticket on each. Reconnecting devices do both; the
            // steps show which one costs what.
            ConcurrentHistogram connectLatency = new ConcurrentHistogram(600_000_000L, 3);
            ConcurrentHistogram resumeLatency = new ConcurrentHistogram(600_000_000L, 3);
            ProcStats.Meter connectServer = new ProcStats.Meter(target.pid());
            ProcStats.Meter connectSelf = new ProcStats.Meter(ProcessHandle.current().pid());
            long c0 = System.nanoTime();
            List<WsClient> connections = thousandInFlight(accounts.size(), i -> WsClient.connect(pool, target.uri(),
                    Fleet.sourceHost(i), o.json(), (c, f) -> { }), connectLatency);
            double connectSeconds = (System.nanoTime() - c0) / 1e9;
            double connectServerCores = connectServer.cores();
            double connectSelfCores = connectSelf.cores();
            ProcStats.Meter resumeServer = new ProcStats.Meter(target.pid());
            ProcStats.Meter resumeSelf = new ProcStats.Meter(ProcessHandle.current().pid());
            long r0 = System.nanoTime();
            List<Fleet.Account> live = thousandInFlight(accounts.size(), i -> Fleet.resumeOn(connections.get(i),
                    accounts.get(i).username(), accounts.get(i).session().getTicket()), resumeLatency);
            double resumeSeconds = (System.nanoTime() - r0) / 1e9;
            run.put("connects_per_s", o.sessions() / connectSeconds)
                    .put("connect_server_cpu_cores", connectServerCores).put("connect_generator_cpu_cores", connectSelfCores)
                    .put("resumes_per_s", o.sessions() / resumeSeconds)
                    .put("resume_server_cpu_cores", resumeServer.cores())
                    .put("resume_generator_cpu_cores", resumeSelf.cores())
                    .put("connect_and_resume_per_s", o.sessions() / (connectSeconds + resumeSeconds));

            // Hold them idle; each session pings once during the hold, as a heartbeat would.
            Thread.sleep(2000);
            ProcStats.Meter idleCpu = new ProcStats.Meter(target.pid());
            long holdStart = System.nanoTime();
            long holdEnd = holdStart + TimeUnit.SECONDS.toNanos(o.holdSeconds());
            long gap = TimeUnit.SECONDS.toNanos(o.holdSeconds()) / Math.max(1, live.size());
            for (int i = 0; i < live.size(); i++) {
                live.get(i).client().send(ClientFrame.newBuilder().setPing(Ping.getDefaultInstance()), f -> { }, true);
                if (i % 100 == 99) {
                    DirectScenario.sleepUntil(holdStart + (i + 1) * gap);
                }
            }
            DirectScenario.sleepUntil(holdEnd);
            double idleCores = idleCpu.cores();
            long open = live.stream().filter(a -> a.client().isOpen()).count();
            long rssFull = ProcStats.rssBytes(target.pid());
            long heapFull = target.heapUsedBytes(true);
            run.put("sessions", o.sessions()).put("sessions_open_after_hold", open)
                    .put("cold_connect_and_resume_per_s", o.sessions() / coldSeconds)
                    .put("server_rss_empty_mb", rssEmpty / 1048576.0).put("server_rss_full_mb", rssFull / 1048576.0)
                    .put("server_rss_per_session_bytes", (rssFull - rssEmpty) / (double) o.sessions())
                    .put("server_heap_per_session_bytes", (heapFull - heapEmpty) / (double) o.sessions())
                    .put("server_idle_cpu_cores", idleCores)
                    .put("server_open_files", ProcStats.openFiles(target.pid()))
                    .put("server_max_gc_pause_ms", target.maxGcPauseMillis())
                    .latency("connect", connectLatency.copy()).latency("resume", resumeLatency.copy());
            live.forEach(a -> a.client().close());
        }
        return run;
    }

    /**
     * Runs {@code op(0..n-1)} with at most 1,000 in flight, recording each one's latency in
     * microseconds; returns the results in index order.
     */
    private static <T> List<T> thousandInFlight(int n, IntFunction<CompletableFuture<T>> op, ConcurrentHistogram latency)
            throws Exception {
        Semaphore inFlight = new Semaphore(1000);
        List<CompletableFuture<T>> started = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            inFlight.acquire();
            long s = System.nanoTime();
            started.add(op.apply(i).whenComplete((x, e) -> {
                latency.recordValue((System.nanoTime() - s) / 1000);
                inFlight.release();
            }));
        }
        List<T> out = new ArrayList<>(n);
        for (CompletableFuture<T> f : started) {
            out.add(f.get(120, TimeUnit.SECONDS));
        }
        return out;
    }
}
