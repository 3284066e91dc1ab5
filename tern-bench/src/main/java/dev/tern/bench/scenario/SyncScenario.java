package dev.tern.bench.scenario;

import dev.tern.bench.load.Fleet;
import dev.tern.bench.load.Target;
import dev.tern.bench.load.WsClient;
import dev.tern.bench.report.ProcStats;
import dev.tern.bench.report.Results;
import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.Send;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.protocol.v1.Sync;
import dev.tern.protocol.v1.SyncResult;
import org.HdrHistogram.ConcurrentHistogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Catch-up after being offline. (1) One device missed {@code missed} messages: time from its first
 * sync request to the last entry. (2) A storm: {@code devices} devices that each missed
 * {@code missedEach} messages reconnect at once (resume + sync): time until all are synced.
 */
public final class SyncScenario {

    /** Shape of the load. */
    public record Options(int missed, int devices, int missedEach, boolean json, int clientThreads) {}

    /** Entries per sync request: the protocol's maximum, as the SDK asks when catching up. */
    static final int PAGE = 2000;
    static final int WARM_CATCH_UPS = 3;
    /**
     * Pause between the last missed message and the reconnect: a device comes back some time after
     * the messages were sent, and the burst of sends leaves compactions and compilations running for
     * a moment that would otherwise be timed as sync work.
     */
    static final long SETTLE_MS = 2000;

    private final Options o;

    public SyncScenario(Options o) {
        this.o = o;
    }

    public Results.Run run(Target target, Results results, int repetition) throws Exception {
        Results.Run run = results.add(new Results.Run("sync", target.kind.label, repetition));
        try (WsClient.Pool pool = new WsClient.Pool(o.clientThreads())) {
            Fleet.Account writer = Fleet.login(pool, target.uri(), "writer_", 1, o.json(), i -> (c, f) -> { }).getFirst();
            // A server in service has run its sync and resume paths many times; a fresh JVM has not.
            // Unmeasured catch-ups of the same size, then a storm a tenth of the size, first let the JIT
            // compile them, as the direct scenario's warm-up does for sends.
            for (int w = 0; w < WARM_CATCH_UPS; w++) {
                catchUp(pool, target, writer, "warm" + w + "_", o.missed());
            }
            storm(pool, target, writer, "warmstorm_", Math.max(1, o.devices() / 10));

            // (1) one device, many missed messages
            CatchUp measured = catchUp(pool, target, writer, "reader_", o.missed());
            run.put("missed", o.missed()).put("synced", measured.entries()).put("sync_ms", measured.ms())
                    .put("sync_entries_per_s", measured.entries() / (measured.ms() / 1000));

            // (2) reconnect storm
            ProcStats.Meter serverCpu = new ProcStats.Meter(target.pid());
            Storm storm = storm(pool, target, writer, "storm_", o.devices());
            run.put("storm_devices", o.devices()).put("storm_missed_each", o.missedEach())
                    .put("storm_entries", storm.entries()).put("storm_all_synced_ms", storm.ms())
                    .put("storm_server_cpu_cores", serverCpu.cores())
                    .put("server_max_gc_pause_ms", target.maxGcPauseMillis())
                    .latency("storm_device_done", storm.perDevice());
            writer.client().close();
        }
        return run;
    }

    private record CatchUp(int entries, double ms) {}

    private record Storm(long entries, double ms, ConcurrentHistogram perDevice) {}

    /** A device goes offline, misses {@code missed} messages, resumes, and syncs: time from first request to last entry. */
    private CatchUp catchUp(WsClient.Pool pool, Target target, Fleet.Account writer, String prefix, int missed)
            throws Exception {
        Fleet.Account reader = Fleet.login(pool, target.uri(), prefix, 1, o.json(), i -> (c, f) -> { }).getFirst();
        long cursor = reader.session().getPts();
        reader.client().close();
        sendMany(writer.client(), reader.username(), missed);
        Thread.sleep(SETTLE_MS);
        Fleet.Account back = Fleet.resume(pool, target.uri(), 1, reader.username(), reader.session().getTicket(),
                o.json(), (c, f) -> { }).get(60, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        int got = syncAll(back.client(), cursor);
        double ms = (System.nanoTime() - t0) / 1e6;
        back.client().close();
        return new CatchUp(got, ms);
    }

    /** {@code count} devices that each missed {@code missedEach} messages reconnect at once (resume + sync). */
    private Storm storm(WsClient.Pool pool, Target target, Fleet.Account writer, String prefix, int count)
            throws Exception {
        List<Fleet.Account> devices = Fleet.login(pool, target.uri(), prefix, count, o.json(), i -> (c, f) -> { });
        List<Long> cursors = new ArrayList<>();
        for (Fleet.Account d : devices) {
            cursors.add(d.session().getPts());
            d.client().close();
        }
        for (Fleet.Account d : devices) {
            sendMany(writer.client(), d.username(), o.missedEach());
        }
        Thread.sleep(SETTLE_MS);
        ConcurrentHistogram perDevice = new ConcurrentHistogram(600_000_000L, 3);
        long s0 = System.nanoTime();
        Semaphore connecting = new Semaphore(2000);
        var blocking = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        List<CompletableFuture<Integer>> done = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            Fleet.Account d = devices.get(i);
            long from = cursors.get(i);
            connecting.acquire();
            done.add(Fleet.resume(pool, target.uri(), i, d.username(), d.session().getTicket(), o.json(), (c, f) -> { })
                    .thenApplyAsync(a -> {
                        try {
                            int n = syncAll(a.client(), from);
                            perDevice.recordValue((System.nanoTime() - s0) / 1000);
                            a.client().close();
                            return n;
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, blocking).whenComplete((n, e) -> connecting.release()));
        }
        long total = 0;
        for (CompletableFuture<Integer> f : done) {
            total += f.get(300, TimeUnit.SECONDS);
        }
        double ms = (System.nanoTime() - s0) / 1e6;
        blocking.close();
        return new Storm(total, ms, perDevice.copy());
    }

    /** Sends {@code n} messages to a peer, 100 in flight, and waits for all acks. */
    static void sendMany(WsClient c, String peer, int n) throws Exception {
        Semaphore window = new Semaphore(100);
        List<CompletableFuture<ServerFrame>> acks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            window.acquire();
            CompletableFuture<ServerFrame> f = c.request(ClientFrame.newBuilder().setSend(Send.newBuilder().setPeer(peer)
                    .setClientMsgId(peer + "-" + i).setContentType("text/plain").setText("missed message " + i)));
            f.whenComplete((x, e) -> window.release());
            acks.add(f);
        }
        for (CompletableFuture<ServerFrame> f : acks) {
            ServerFrame r = f.get(120, TimeUnit.SECONDS);
            if (r.hasError()) {
                throw new IllegalStateException("send failed: " + r.getError());
            }
        }
    }

    /** Pages through the log from {@code after} until {@code more} is false; returns the entries seen. */
    static int syncAll(WsClient c, long after) throws Exception {
        int n = 0;
        long cursor = after;
        while (true) {
            ServerFrame r = c.request(ClientFrame.newBuilder().setSync(Sync.newBuilder().setAfterPts(cursor).setLimit(PAGE)))
                    .get(60, TimeUnit.SECONDS);
            if (!r.hasSyncResult()) {
                throw new IllegalStateException("sync failed: " + r);
            }
            SyncResult s = r.getSyncResult();
            n += s.getUpdatesCount();
            cursor = s.getPts();
            if (!s.getMore()) {
                return n;
            }
        }
    }
}
