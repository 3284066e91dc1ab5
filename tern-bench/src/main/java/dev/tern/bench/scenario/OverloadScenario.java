package dev.tern.bench.scenario;

import com.google.protobuf.ByteString;
import dev.tern.bench.load.Fleet;
import dev.tern.bench.load.Sampler;
import dev.tern.bench.load.Target;
import dev.tern.bench.load.WsClient;
import dev.tern.bench.report.ProcStats;
import dev.tern.bench.report.Results;
import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Send;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.protocol.v1.Sync;
import dev.tern.protocol.v1.SyncResult;
import dev.tern.protocol.v1.Update;
import org.HdrHistogram.ConcurrentHistogram;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Overload: measure capacity (closed loop), then offer half of it and then {@code factor} times it
 * (open loop, refused sends are not retried: they are shed load), then stop and probe until the
 * server serves normally again. Checks afterwards that every acknowledged message reached its
 * receiver's log exactly once.
 */
public final class OverloadScenario {

    /** Shape of the load. */
    public record Options(int pairs, int window, double warmupSeconds, double capacitySeconds, double halfSeconds,
                          double overloadSeconds, double factor, int bodyBytes, boolean json, int clientThreads) {}

    /** One stretch of load: its rate (0: closed loop) and what was seen in it. */
    private static final class Phase {
        final String name;
        final double rate;
        volatile long start;
        volatile long end = Long.MAX_VALUE;
        final ConcurrentHistogram ack = new ConcurrentHistogram(120_000_000L, 3);
        final LongAdder accepted = new LongAdder();
        final LongAdder refused = new LongAdder();
        final LongAdder otherErrors = new LongAdder();

        Phase(String name, double rate) {
            this.name = name;
            this.rate = rate;
        }
    }

    private static final class Sender {
        final WsClient client;
        final String peer;
        final BitSet acked = new BitSet(); // seqs acknowledged in this pair's chat (guarded by this)
        long conversationId;
        long nextId;
        long sentInPhase;

        Sender(WsClient client, String peer) {
            this.client = client;
            this.peer = peer;
        }
    }

    private final Options o;
    private final LongAdder acceptedAll = new LongAdder();

    public OverloadScenario(Options o) {
        this.o = o;
    }

    public Results.Run run(Target target, Results results, int repetition) throws Exception {
        Results.Run run = results.add(new Results.Run("overload", target.kind.label, repetition));
        try (WsClient.Pool pool = new WsClient.Pool(o.clientThreads())) {
            List<Fleet.Account> receivers = Fleet.login(pool, target.uri(), "recv_", o.pairs(), o.json(), i -> (c, f) -> { });
            List<Fleet.Account> senders = Fleet.login(pool, target.uri(), "send_", o.pairs(), o.json(), i -> (c, f) -> { });
            Sender[] state = open(senders, receivers);
            // The recovery probe uses its own connection, idle during the load: a loaded sender's own
            // socket still holds requests it sent during the overload, which the probe would queue behind.
            List<Fleet.Account> probes = Fleet.login(pool, target.uri(), "probe_", 1, o.json(), i -> (c, f) -> { });
            Sender probe = open(probes, List.of(receivers.getFirst()))[0];
            long[] cursors = receivers.stream().mapToLong(a -> a.session().getPts()).toArray();
            ConcurrentHistogram watched = new ConcurrentHistogram(120_000_000L, 3);
            try (Sampler sampler = new Sampler(run, acceptedAll, watched, target.pid(), "overload #" + repetition)) {
                Phase warm = closedLoop(state, new Phase("warmup", 0), o.warmupSeconds());
                Phase capacity = closedLoop(state, new Phase("capacity", 0), o.capacitySeconds());
                double c = capacity.accepted.sum() / o.capacitySeconds();
                run.put("capacity_per_s", c).put("warmup_accepted", warm.accepted.sum());
                Phase half = openLoop(state, new Phase("half", c / 2), o.halfSeconds(), target, run);
                ProcStats.Meter serverCpu = new ProcStats.Meter(target.pid());
                Phase over = openLoop(state, new Phase("overload", c * o.factor()), o.overloadSeconds(), target, run);
                run.put("overload_server_cpu_cores", serverCpu.cores());
                double halfP99 = half.ack.getValueAtPercentile(99) / 1000.0;
                double overP99 = over.ack.getValueAtPercentile(99) / 1000.0;
                double goodput = over.accepted.sum() / o.overloadSeconds();
                run.put("half_offered_per_s", half.rate).put("half_accepted_per_s", half.accepted.sum() / o.halfSeconds())
                        .put("half_ack_p99_ms", halfP99)
                        .put("overload_offered_per_s", over.rate).put("overload_accepted_per_s", goodput)
                        .put("overload_refused_per_s", over.refused.sum() / o.overloadSeconds())
                        .put("overload_other_errors", over.otherErrors.sum())
                        .put("goodput_vs_capacity", goodput / c)
                        .put("overload_ack_p99_ms", overP99).put("overload_ack_p99_vs_half", overP99 / halfP99)
                        .latency("half_ack", half.ack.copy()).latency("overload_ack", over.ack.copy());
                run.put("recovery_ms", recover(probe, Math.max(halfP99, 1.0)));
            }
            run.put("server_heap_after_gc_mb", target.heapUsedBytes(true) / 1048576.0)
                    .put("server_max_gc_pause_ms", target.maxGcPauseMillis());
            verify(pool, target, run, state, receivers, cursors);
            receivers.forEach(a -> a.client().close());
            senders.forEach(a -> a.client().close());
            probes.forEach(a -> a.client().close());
        }
        return run;
    }

    private Sender[] open(List<Fleet.Account> senders, List<Fleet.Account> receivers) throws InterruptedException {
        Sender[] state = new Sender[senders.size()];
        CountDownLatch opened = new CountDownLatch(senders.size());
        for (int i = 0; i < senders.size(); i++) {
            Sender s = new Sender(senders.get(i).client(), receivers.get(i).username());
            state[i] = s;
            s.client.send(frame(s, System.nanoTime(), true), f -> {
                s.conversationId = f.getSendAck().getConversationId();
                synchronized (s) {
                    s.acked.set((int) f.getSendAck().getSeq());
                }
                opened.countDown();
            }, true);
        }
        if (!opened.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("direct chats were not opened");
        }
        return state;
    }

    private Phase closedLoop(Sender[] state, Phase p, double seconds) throws InterruptedException {
        p.start = System.nanoTime();
        for (Sender s : state) {
            s.client.channel().eventLoop().execute(() -> {
                for (int k = 0; k < o.window(); k++) {
                    sendClosed(s, p);
                }
                s.client.flush();
            });
        }
        DirectScenario.sleepUntil(p.start + (long) (seconds * 1e9));
        p.end = System.nanoTime();
        Thread.sleep(500); // let the window drain before the next phase
        return p;
    }

    private void sendClosed(Sender s, Phase p) {
        long now = System.nanoTime();
        s.client.send(frame(s, now, false), f -> {
            onAck(s, p, f, now);
            if (System.nanoTime() < p.end) {
                sendClosed(s, p);
                s.client.flush();
            }
        }, false);
    }

    private Phase openLoop(Sender[] state, Phase p, double seconds, Target target, Results.Run run) throws Exception {
        p.start = System.nanoTime();
        double perSenderPerNano = p.rate / 1e9 / state.length;
        ScheduledFuture<?>[] pacers = new ScheduledFuture<?>[state.length];
        for (int i = 0; i < state.length; i++) {
            Sender s = state[i];
            s.client.channel().eventLoop().execute(() -> s.sentInPhase = 0);
            pacers[i] = s.client.channel().eventLoop().scheduleAtFixedRate(() -> pace(s, p, perSenderPerNano),
                    0, 1, TimeUnit.MILLISECONDS);
        }
        long end = p.start + (long) (seconds * 1e9);
        long maxHeap = 0;
        for (int k = 1; k <= 3 && p.rate > 0; k++) { // heap in use, unforced, three times through the phase
            DirectScenario.sleepUntil(p.start + (long) (seconds * 1e9 * k / 4));
            maxHeap = Math.max(maxHeap, target.heapUsedBytes(false));
        }
        DirectScenario.sleepUntil(end);
        p.end = System.nanoTime();
        for (ScheduledFuture<?> f : pacers) {
            f.cancel(false);
        }
        run.put(p.name + "_max_heap_used_mb", maxHeap / 1048576.0);
        Thread.sleep(200);
        return p;
    }

    private void pace(Sender s, Phase p, double perNano) {
        long now = System.nanoTime();
        if (now >= p.end) {
            return;
        }
        long due = (long) ((now - p.start) * perNano);
        boolean any = false;
        while (s.sentInPhase < due) {
            long intended = p.start + (long) (s.sentInPhase / perNano);
            s.sentInPhase++;
            s.client.send(frame(s, intended, false), f -> onAck(s, p, f, intended), false);
            any = true;
        }
        if (any) {
            s.client.flush();
        }
    }

    /** After the overload: one send at a time until one is accepted within {@code normalMs}; ms since the load stopped. */
    private double recover(Sender s, double normalMs) throws Exception {
        long stopped = System.nanoTime();
        Phase probe = new Phase("probe", 0);
        probe.start = stopped;
        while (System.nanoTime() - stopped < 30_000_000_000L) {
            long t = System.nanoTime();
            ServerFrame f = s.client.request(frame(s, t, false)).get(30, TimeUnit.SECONDS);
            long done = System.nanoTime();
            onAck(s, probe, f, t);
            if (f.hasSendAck() && (done - t) / 1e6 <= normalMs) {
                return (done - stopped) / 1e6;
            }
            Thread.sleep(20);
        }
        return Double.NaN;
    }

    private void onAck(Sender s, Phase p, ServerFrame f, long sentAt) {
        if (f.hasSendAck()) {
            synchronized (s) {
                s.acked.set((int) f.getSendAck().getSeq());
            }
            acceptedAll.increment();
            if (sentAt >= p.start && sentAt < p.end) {
                p.accepted.increment();
                p.ack.recordValue(Math.max(0, (System.nanoTime() - sentAt) / 1000));
            }
        } else if (f.hasError() && f.getError().getCode() == ErrorCode.OVERLOADED) {
            p.refused.increment();
        } else {
            p.otherErrors.increment();
        }
    }

    /** Every acknowledged seq must be in the receiver's log exactly once. */
    private void verify(WsClient.Pool pool, Target target, Results.Run run, Sender[] state,
                        List<Fleet.Account> receivers, long[] cursors) throws Exception {
        long acked = 0;
        long missing = 0;
        long duplicates = 0;
        for (int i = 0; i < state.length; i++) {
            Fleet.Account r = receivers.get(i);
            Fleet.Account reader = Fleet.resume(pool, target.uri(), i, r.username(), r.session().getTicket(), o.json(),
                    (c, f) -> { }).get(60, TimeUnit.SECONDS);
            BitSet seen = new BitSet();
            Set<String> ids = new HashSet<>();
            long after = cursors[i];
            while (true) {
                ServerFrame f = reader.client().request(ClientFrame.newBuilder()
                        .setSync(Sync.newBuilder().setAfterPts(after).setLimit(SyncScenario.PAGE))).get(60, TimeUnit.SECONDS);
                SyncResult page = f.getSyncResult();
                for (Update u : page.getUpdatesList()) {
                    if (u.hasMessage() && u.getMessage().getConversationId() == state[i].conversationId) {
                        seen.set((int) u.getMessage().getSeq());
                        if (!ids.add(u.getMessage().getClientMsgId())) {
                            duplicates++;
                        }
                    }
                }
                after = page.getPts();
                if (!page.getMore()) {
                    break;
                }
            }
            reader.client().close();
            synchronized (state[i]) {
                BitSet lost = (BitSet) state[i].acked.clone();
                acked += lost.cardinality();
                lost.andNot(seen);
                missing += lost.cardinality();
            }
        }
        run.put("acked_total", acked).put("acked_missing", missing).put("duplicates", duplicates);
    }

    private ClientFrame.Builder frame(Sender s, long stampNanos, boolean first) {
        byte[] body = new byte[o.bodyBytes()];
        ByteBuffer.wrap(body).putLong(stampNanos);
        Send.Builder send = Send.newBuilder().setClientMsgId(Long.toString(++s.nextId))
                .setContentType("application/octet-stream").setData(ByteString.copyFrom(body));
        if (first) {
            send.setPeer(s.peer);
        } else {
            send.setConversationId(s.conversationId);
        }
        return ClientFrame.newBuilder().setSend(send);
    }
}
