package dev.tern.bench.scenario;

import com.google.protobuf.ByteString;
import dev.tern.bench.load.Fleet;
import dev.tern.bench.load.InFlight;
import dev.tern.bench.load.Sampler;
import dev.tern.bench.load.Target;
import dev.tern.bench.load.WsClient;
import dev.tern.bench.report.ProcStats;
import dev.tern.bench.report.Results;
import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.Send;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.protocol.v1.Sync;
import dev.tern.protocol.v1.SyncResult;
import dev.tern.protocol.v1.Update;
import org.HdrHistogram.ConcurrentHistogram;

import dev.tern.bench.load.SendTemplate;
import dev.tern.bench.load.ServerHistogram;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
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
                          double overloadSeconds, double factor, int bodyBytes, boolean json, int clientThreads,
                          boolean ignoreHints) {}

    // Sends in flight per sender the generator can track; past it a send is not offered but counted.
    private static final int RING = 1 << 15;
    private static final long TICK_NANOS = 2_000_000; // open-loop pacing step per event loop
    private static final String SERVER_ACK = "tern_send_ack_seconds";

    /** One stretch of load: its rate (0: closed loop) and what was seen in it. */
    private static final class Phase {
        final String name;
        final int index;
        final double rate;
        volatile long start;
        volatile long end = Long.MAX_VALUE;
        final ConcurrentHistogram ack = new ConcurrentHistogram(120_000_000L, 3);
        final ConcurrentHistogram sendLag = new ConcurrentHistogram(120_000_000L, 3);
        final LongAdder offered = new LongAdder();
        final LongAdder accepted = new LongAdder();
        final LongAdder refused = new LongAdder();
        final LongAdder otherErrors = new LongAdder();
        final LongAdder notOffered = new LongAdder(); // the socket would not take it, or too many in flight
        final LongAdder held = new LongAdder();       // due while its sender waited out a retry hint

        Phase(String name, int index, double rate) {
            this.name = name;
            this.index = index;
            this.rate = rate;
        }
    }

    /** One sender connection; everything but {@code acked} is touched on its event loop only. */
    private static final class Sender {
        final WsClient client;
        final String peer;
        final BitSet acked = new BitSet(); // seqs acknowledged in this pair's chat (guarded by this)
        final SendTemplate.Reply reply = new SendTemplate.Reply();
        final InFlight inFlight = new InFlight(RING);
        SendTemplate template;
        long conversationId;
        long nextId;
        long sentInPhase;
        long holdUntil; // after OVERLOADED: nothing is sent before this System.nanoTime()

        Sender(WsClient client, String peer) {
            this.client = client;
            this.peer = peer;
        }
    }

    private final Options o;
    private final LongAdder acceptedAll = new LongAdder();
    private final LongAdder strays = new LongAdder(); // replies to no tracked send (must stay 0)
    private final Phase[] phases = new Phase[8];

    public OverloadScenario(Options o) {
        if (o.json()) {
            throw new IllegalArgumentException("overload offers binary frames only (its sends are pre-encoded)");
        }
        this.o = o;
    }

    public Results.Run run(Target target, Results results, int repetition) throws Exception {
        Results.Run run = results.add(new Results.Run("overload", target.kind.label, repetition));
        try (WsClient.Pool pool = new WsClient.Pool(o.clientThreads())) {
            List<Fleet.Account> receivers = Fleet.login(pool, target.uri(), "recv_", o.pairs(), false, i -> (c, f) -> { });
            List<Fleet.Account> senders = Fleet.login(pool, target.uri(), "send_", o.pairs(), false, i -> (c, f) -> { });
            // Pushes to receivers are counted by the server's acks already; skip parsing them.
            receivers.forEach(a -> {
                SendTemplate.Reply reply = new SendTemplate.Reply(); // one per connection: read on its event loop only
                a.client().rawHandler((c, b) -> reply.read(b) && reply.kind == SendTemplate.Kind.PUSH);
            });
            Sender[] state = open(senders, receivers);
            // The recovery probe uses its own connection, idle during the load: a loaded sender's own
            // socket still holds requests it sent during the overload, which the probe would queue behind.
            List<Fleet.Account> probes = Fleet.login(pool, target.uri(), "probe_", 1, false, i -> (c, f) -> { });
            Sender probe = open(probes, List.of(receivers.getFirst()))[0];
            long[] cursors = receivers.stream().mapToLong(a -> a.session().getPts()).toArray();
            ConcurrentHistogram watched = new ConcurrentHistogram(120_000_000L, 3);
            try (Sampler sampler = new Sampler(run, acceptedAll, watched, target.pid(), "overload #" + repetition)) {
                Phase warm = closedLoop(state, phase("warmup", 0), o.warmupSeconds());
                Phase capacity = closedLoop(state, phase("capacity", 0), o.capacitySeconds());
                double c = capacity.accepted.sum() / o.capacitySeconds();
                run.put("capacity_per_s", c).put("warmup_accepted", warm.accepted.sum())
                        .put("capacity_refused", capacity.refused.sum() + capacity.otherErrors.sum());
                ServerHistogram beforeHalf = ServerHistogram.scrape(target.metricsUri(), SERVER_ACK);
                Phase half = openLoop(state, phase("half", c / 2), o.halfSeconds(), target, run);
                ServerHistogram beforeOver = ServerHistogram.scrape(target.metricsUri(), SERVER_ACK);
                ProcStats.Meter serverCpu = new ProcStats.Meter(target.pid());
                ProcStats.Meter genCpu = new ProcStats.Meter(ProcessHandle.current().pid());
                Phase over = openLoop(state, phase("overload", c * o.factor()), o.overloadSeconds(), target, run);
                ServerHistogram afterOver = ServerHistogram.scrape(target.metricsUri(), SERVER_ACK);
                run.put("read_pauses", ServerHistogram.counter(target.metricsUri(), "tern_read_pauses_total"));
                // The server's own view: a send frame's arrival to its ack (bucket bounds, so coarse).
                run.put("half_server_ack_p99_ms", beforeOver.quantileSince(beforeHalf, 0.99) * 1000)
                        .put("overload_server_ack_p50_ms", afterOver.quantileSince(beforeOver, 0.5) * 1000)
                        .put("overload_server_ack_p99_ms", afterOver.quantileSince(beforeOver, 0.99) * 1000);
                run.put("overload_server_cpu_cores", serverCpu.cores()).put("overload_generator_cpu_cores", genCpu.cores());
                double halfP99 = half.ack.getValueAtPercentile(99) / 1000.0;
                double overP99 = over.ack.getValueAtPercentile(99) / 1000.0;
                double goodput = over.accepted.sum() / o.overloadSeconds();
                run.put("half_offered_per_s", half.offered.sum() / o.halfSeconds())
                        .put("half_accepted_per_s", half.accepted.sum() / o.halfSeconds())
                        .put("half_ack_p99_ms", halfP99)
                        .put("half_refused", half.refused.sum() + half.otherErrors.sum())
                        .put("half_send_lag_p99_ms", half.sendLag.getValueAtPercentile(99) / 1000.0)
                        .put("overload_target_per_s", over.rate)
                        .put("overload_offered_per_s", over.offered.sum() / o.overloadSeconds())
                        .put("overload_not_offered", over.notOffered.sum())
                        .put("overload_held_by_hints_per_s", over.held.sum() / o.overloadSeconds())
                        .put("overload_send_lag_p99_ms", over.sendLag.getValueAtPercentile(99) / 1000.0)
                        .put("overload_accepted_per_s", goodput)
                        .put("overload_refused_per_s", over.refused.sum() / o.overloadSeconds())
                        .put("overload_other_errors", over.otherErrors.sum())
                        .put("goodput_vs_capacity", goodput / c)
                        .put("overload_ack_p99_ms", overP99).put("overload_ack_p99_vs_half", overP99 / halfP99)
                        .latency("half_ack", half.ack.copy()).latency("overload_ack", over.ack.copy());
                run.put("recovery_ms", recover(probe, Math.max(halfP99, 1.0)));
            }
            run.put("server_heap_after_gc_mb", target.heapUsedBytes(true) / 1048576.0)
                    .put("server_max_gc_pause_ms", target.maxGcPauseMillis())
                    .put("stray_replies", strays.sum());
            verify(pool, target, run, state, receivers, cursors);
            receivers.forEach(a -> a.client().close());
            senders.forEach(a -> a.client().close());
            probes.forEach(a -> a.client().close());
        }
        return run;
    }

    private Phase phase(String name, double rate) {
        for (int i = 0; i < phases.length; i++) {
            if (phases[i] == null) {
                return phases[i] = new Phase(name, i, rate);
            }
        }
        throw new IllegalStateException("too many phases");
    }

    private Sender[] open(List<Fleet.Account> senders, List<Fleet.Account> receivers) throws InterruptedException {
        Sender[] state = new Sender[senders.size()];
        CountDownLatch opened = new CountDownLatch(senders.size());
        for (int i = 0; i < senders.size(); i++) {
            Sender s = new Sender(senders.get(i).client(), receivers.get(i).username());
            state[i] = s;
            s.client.send(frame(s, System.nanoTime(), true), f -> {
                s.conversationId = f.getSendAck().getConversationId();
                s.template = new SendTemplate(s.conversationId, o.bodyBytes());
                synchronized (s) {
                    s.acked.set((int) f.getSendAck().getSeq());
                }
                s.client.rawHandler((c, b) -> onFrame(s, b));
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
        p.end = p.start + (long) (seconds * 1e9);
        for (Sender s : state) {
            s.client.channel().eventLoop().execute(() -> {
                long now = System.nanoTime();
                for (int k = 0; k < o.window(); k++) {
                    sendRaw(s, p, now);
                }
                s.client.flush();
            });
        }
        DirectScenario.sleepUntil(p.end);
        Thread.sleep(500); // let the window drain before the next phase
        return p;
    }

    private Phase openLoop(Sender[] state, Phase p, double seconds, Target target, Results.Run run) throws Exception {
        p.start = System.nanoTime();
        p.end = p.start + (long) (seconds * 1e9);
        double perSenderPerNano = p.rate / 1e9 / state.length;
        // One pacer per event loop walks its senders: a timer per sender would cost the generator
        // more than the sends.
        Map<EventLoop, List<Sender>> byLoop = new HashMap<>();
        for (Sender s : state) {
            byLoop.computeIfAbsent(s.client.channel().eventLoop(), k -> new ArrayList<>()).add(s);
        }
        List<ScheduledFuture<?>> pacers = new ArrayList<>();
        for (Map.Entry<EventLoop, List<Sender>> e : byLoop.entrySet()) {
            List<Sender> mine = e.getValue();
            e.getKey().execute(() -> mine.forEach(s -> s.sentInPhase = 0));
            pacers.add(e.getKey().scheduleAtFixedRate(() -> {
                for (Sender s : mine) {
                    pace(s, p, perSenderPerNano);
                }
            }, 0, TICK_NANOS, TimeUnit.NANOSECONDS));
        }
        long maxHeap = 0;
        for (int k = 1; k <= 3 && p.rate > 0; k++) { // heap in use, unforced, three times through the phase
            DirectScenario.sleepUntil(p.start + (long) (seconds * 1e9 * k / 4));
            maxHeap = Math.max(maxHeap, target.heapUsedBytes(false));
        }
        DirectScenario.sleepUntil(p.end);
        pacers.forEach(f -> f.cancel(false));
        run.put(p.name + "_max_heap_used_mb", maxHeap / 1048576.0);
        Thread.sleep(200);
        return p;
    }

    private void pace(Sender s, Phase p, double perNano) {
        long now = System.nanoTime();
        if (now >= p.end) {
            return;
        }
        long due = 1 + (long) ((now - p.start) * perNano); // sends 0..floor(position) are due (see DirectScenario)
        boolean any = false;
        while (s.sentInPhase < due) {
            long intended = p.start + (long) (s.sentInPhase / perNano);
            s.sentInPhase++;
            if (intended >= p.end) {
                break;
            }
            if (!o.ignoreHints() && now - s.holdUntil < 0) {
                p.held.increment(); // like the SDK: a refused client waits out the hint before sending more
                continue;
            }
            if (!s.client.channel().isWritable()) {
                p.notOffered.increment(); // a client does not queue without bound behind a full socket
                continue;
            }
            p.sendLag.recordValue(Math.max(0, (now - intended) / 1000));
            sendRaw(s, p, intended);
            any = true;
        }
        if (any) {
            s.client.flush();
        }
    }

    /** Writes one template send of phase {@code p}; event loop of {@code s} only. */
    private void sendRaw(Sender s, Phase p, long intended) {
        long id = s.inFlight.add(intended, p.index);
        if (id < 0) {
            p.notOffered.increment();
            return;
        }
        p.offered.increment();
        s.client.writeRaw(s.template.frame(s.client.channel().alloc(), id, ++s.nextId, intended), false);
    }

    /** A binary frame on a sender's connection: replies to template sends are handled here. */
    private boolean onFrame(Sender s, ByteBuf b) {
        SendTemplate.Reply r = s.reply;
        switch (s.inFlight.read(r, b)) {
            case NOT_OURS -> {
                return false; // the setup's requests
            }
            case PUSH -> {
                return true;
            }
            case STRAY -> {
                strays.increment();
                return true;
            }
            case ANSWER -> { }
        }
        Phase p = phases[s.inFlight.tag()];
        long intended = s.inFlight.stamp();
        long now = System.nanoTime();
        switch (r.kind) {
            case ACK -> {
                synchronized (s) {
                    s.acked.set((int) r.seq);
                }
                acceptedAll.increment();
                p.accepted.increment();
                p.ack.recordValue(Math.max(0, (now - intended) / 1000));
            }
            case REFUSED -> {
                p.refused.increment();
                // The SDK's backoff: the hint plus up to a quarter of it as jitter.
                long hold = r.retryAfterMs * 1_000_000L;
                s.holdUntil = now + hold + ThreadLocalRandom.current().nextLong(hold / 4 + 1);
            }
            default -> p.otherErrors.increment();
        }
        if (p.rate == 0 && now < p.end) {
            sendRaw(s, p, now); // closed loop: the next send; flushed when this read burst ends
        }
        return true;
    }

    /** After the overload: one send at a time until one is accepted within {@code normalMs}; ms since the load stopped. */
    private double recover(Sender s, double normalMs) throws Exception {
        long stopped = System.nanoTime();
        while (System.nanoTime() - stopped < 30_000_000_000L) {
            long t = System.nanoTime();
            ServerFrame f = s.client.request(frame(s, t, false)).get(30, TimeUnit.SECONDS);
            long done = System.nanoTime();
            if (f.hasSendAck()) {
                synchronized (s) {
                    s.acked.set((int) f.getSendAck().getSeq());
                }
                if ((done - t) / 1e6 <= normalMs) {
                    return (done - stopped) / 1e6;
                }
            }
            Thread.sleep(20);
        }
        return Double.NaN;
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
