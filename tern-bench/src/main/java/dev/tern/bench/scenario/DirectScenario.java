package dev.tern.bench.scenario;

import com.google.protobuf.ByteString;
import dev.tern.bench.load.Fleet;
import dev.tern.bench.load.InFlight;
import dev.tern.bench.load.Sampler;
import dev.tern.bench.load.SendTemplate;
import dev.tern.bench.load.Target;
import dev.tern.bench.load.WsClient;
import dev.tern.bench.report.ProcStats;
import dev.tern.bench.report.Results;
import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.Send;
import dev.tern.protocol.v1.ServerFrame;
import io.netty.buffer.ByteBuf;
import org.HdrHistogram.ConcurrentHistogram;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * P sender→receiver pairs in direct chats. Closed loop: each sender keeps {@code window} sends in
 * flight. Open loop: senders send at a fixed total rate whatever the server does, and latency is
 * measured from the intended send time (no coordinated omission).
 */
public final class DirectScenario {

    /** Shape of the load. {@code rate == 0} means closed loop. */
    public record Options(int pairs, int window, int rate, Duration warmup, Duration duration, int bodyBytes,
                          boolean json, int clientThreads) {}

    // At most this many template sends of one connection in flight at once.
    private static final int RING = 1 << 16;

    private static final class Sender {
        final WsClient client;
        final String peer;
        long conversationId;
        long sent;
        long nextId;
        final long startNanos;
        // Binary frames only: pre-encoded sends and replies read without building protobuf objects
        // (event loop only), so the generator is not the ceiling it measures.
        SendTemplate template;
        final SendTemplate.Reply reply = new SendTemplate.Reply();
        final InFlight inFlight = new InFlight(RING);

        Sender(WsClient client, String peer, long startNanos) {
            this.client = client;
            this.peer = peer;
            this.startNanos = startNanos;
        }
    }

    private final Options o;
    private final ConcurrentHistogram ack = new ConcurrentHistogram(60_000_000L, 3);
    private final ConcurrentHistogram e2e = new ConcurrentHistogram(60_000_000L, 3);
    // Open loop: how late the generator itself sends relative to the intended time. Latency below
    // this figure is the generator's, not the server's.
    private final ConcurrentHistogram sendLag = new ConcurrentHistogram(60_000_000L, 3);
    private final LongAdder delivered = new LongAdder();
    private final LongAdder deliveredInWindow = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private volatile long measureFrom;
    private volatile long measureTo = Long.MAX_VALUE;
    private volatile boolean running = true;

    public DirectScenario(Options o) {
        this.o = o;
    }

    public Results.Run run(Target target, Results results, int repetition) throws Exception {
        Results.Run run = results.add(new Results.Run("direct", target.kind.label, repetition));
        try (WsClient.Pool pool = new WsClient.Pool(o.clientThreads())) {
            List<Fleet.Account> receivers = Fleet.login(pool, target.uri(), "recv_", o.pairs(), o.json(), i -> this::onPush);
            List<Fleet.Account> senders = Fleet.login(pool, target.uri(), "send_", o.pairs(), o.json(), i -> this::onPush);
            if (!o.json()) {
                receivers.forEach(a -> a.client().rawHandler(SendTemplate.pushes((conversation, stamp) -> delivered(stamp))));
            }
            long t0 = System.nanoTime();
            Sender[] state = new Sender[o.pairs()];
            CountDownLatch opened = new CountDownLatch(o.pairs());
            for (int i = 0; i < o.pairs(); i++) {
                Sender s = new Sender(senders.get(i).client(), receivers.get(i).username(), t0);
                state[i] = s;
                s.client.send(frame(s, t0, true), f -> {
                    s.conversationId = f.getSendAck().getConversationId();
                    if (!o.json()) {
                        s.template = new SendTemplate(s.conversationId, o.bodyBytes());
                        s.client.rawHandler((c, b) -> onFrame(s, b));
                    }
                    opened.countDown();
                }, true);
            }
            if (!opened.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("direct chats were not opened");
            }
            delivered.reset();
            long start = System.nanoTime();
            measureFrom = start + o.warmup().toNanos();
            long end = measureFrom + o.duration().toNanos();
            ProcStats.Meter serverCpu;
            ProcStats.Meter genCpu;
            try (Sampler sampler = new Sampler(run, delivered, e2e, target.pid(), target.kind.label + " #" + repetition)) {
                for (Sender s : state) {
                    if (o.rate() == 0) {
                        s.client.channel().eventLoop().execute(() -> {
                            for (int k = 0; k < o.window(); k++) {
                                sendClosed(s);
                            }
                            s.client.flush();
                        });
                    } else {
                        double perSenderPerNano = o.rate() / 1e9 / o.pairs();
                        s.client.channel().eventLoop().scheduleAtFixedRate(() -> pace(s, start, perSenderPerNano),
                                0, 1, TimeUnit.MILLISECONDS);
                    }
                }
                sleepUntil(measureFrom);
                serverCpu = new ProcStats.Meter(target.pid());
                genCpu = new ProcStats.Meter(ProcessHandle.current().pid());
                ack.reset();
                sendLag.reset();
                e2e.reset();
                sleepUntil(end);
                measureTo = end;
                run.put("server_cpu_cores", serverCpu.cores()).put("generator_cpu_cores", genCpu.cores());
                running = false;
            }
            Thread.sleep(500);
            double seconds = o.duration().toNanos() / 1e9;
            run.put("delivered_per_s", deliveredInWindow.sum() / seconds)
                    .put("pairs", o.pairs()).put("window", o.window()).put("offered_rate", o.rate())
                    .put("body_bytes", o.bodyBytes()).put("errors", errors.sum())
                    .put("server_rss_mb", ProcStats.rssBytes(target.pid()) / 1048576.0)
                    .put("server_max_gc_pause_ms", target.maxGcPauseMillis())
                    .latency("ack", ack.copy()).latency("e2e", e2e.copy())
                    .perUnit("server_cpu_us_per_msg", "server_cpu_cores", "delivered_per_s")
                    .perUnit("generator_cpu_us_per_msg", "generator_cpu_cores", "delivered_per_s");
            if (o.rate() > 0) {
                run.latency("send_lag", sendLag.copy());
            }
            for (Fleet.Account a : receivers) {
                a.client().close();
            }
            for (Fleet.Account a : senders) {
                a.client().close();
            }
        }
        return run;
    }

    private void sendClosed(Sender s) {
        long now = System.nanoTime();
        if (s.template != null) {
            sendRaw(s, now);
            return;
        }
        s.client.send(frame(s, now, false), f -> {
            onAck(f, now);
            if (running) {
                sendClosed(s);
                s.client.flush();
            }
        }, false);
    }

    /**
     * Open loop. During the warm-up senders run at a quarter of the rate, so the servers' JIT can
     * settle without building a backlog that the measured window would then inherit; from
     * {@code measureFrom} on they run at the full rate. Each send carries its intended time.
     */
    private void pace(Sender s, long start, double perNano) {
        if (!running) {
            return;
        }
        long now = System.nanoTime();
        double warmPerNano = perNano / 4;
        double warmCount = (measureFrom - start) * warmPerNano;
        // Send k is due once its intended time has come, so the count due is floor(position) + 1
        // (sends 0..floor(position)); without the +1 every send went out one interval late.
        long due = 1 + (now < measureFrom ? (long) ((now - start) * warmPerNano)
                : (long) (warmCount + (now - measureFrom) * perNano));
        boolean any = false;
        while (s.sent < due) {
            long k = s.sent;
            long intended = k < warmCount ? start + (long) (k / warmPerNano)
                    : measureFrom + (long) ((k - warmCount) / perNano);
            if (s.template != null) {
                if (!sendRaw(s, intended)) {
                    break; // the ring is full: retried at the next tick, not spun on (acks free it)
                }
            } else {
                s.client.send(frame(s, intended, false), f -> onAck(f, intended), false);
            }
            if (intended >= measureFrom) {
                sendLag.recordValue(Math.max(0, (now - intended) / 1000));
            }
            any = true;
        }
        if (any) {
            s.client.flush();
        }
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
            s.sent++;
        }
        return ClientFrame.newBuilder().setSend(send);
    }

    private void onAck(ServerFrame f, long sentAt) {
        acked(!f.hasError(), sentAt);
    }

    private void acked(boolean ok, long sentAt) {
        long now = System.nanoTime();
        if (!ok) {
            errors.increment();
            return;
        }
        if (sentAt >= measureFrom && now <= measureTo) {
            ack.recordValue(Math.max(0, (now - sentAt) / 1000));
        }
    }

    /**
     * A template send stamped {@code stamp}, on the sender's event loop; flushed at the read's end or
     * by the caller. False, counted as an error, when RING sends of this connection are unanswered.
     */
    private boolean sendRaw(Sender s, long stamp) {
        long id = s.inFlight.add(stamp, 0);
        if (id < 0) {
            errors.increment();
            return false;
        }
        s.sent++;
        s.client.writeRaw(s.template.frame(s.client.channel().alloc(), id, ++s.nextId, stamp), false);
        return true;
    }

    /** A binary frame on a sender's connection: replies to template sends end here. */
    private boolean onFrame(Sender s, ByteBuf b) {
        switch (s.inFlight.read(s.reply, b)) {
            case NOT_OURS -> {
                return false; // the setup's own requests
            }
            case PUSH -> {
                return true;
            }
            case STRAY -> {
                errors.increment(); // an answer to nothing in flight: counted, never silently dropped
                return true;
            }
            case ANSWER -> acked(s.reply.kind == SendTemplate.Kind.ACK, s.inFlight.stamp());
        }
        if (o.rate() == 0 && running) {
            sendClosed(s);
        }
        return true;
    }

    private void onPush(WsClient c, ServerFrame f) {
        if (!f.hasUpdate() || !f.getUpdate().getUpdate().hasMessage()) {
            return;
        }
        ByteString data = f.getUpdate().getUpdate().getMessage().getData();
        if (data.size() < 8) {
            return;
        }
        delivered(data.asReadOnlyByteBuffer().getLong());
    }

    private void delivered(long sentAt) {
        long now = System.nanoTime();
        delivered.increment();
        if (sentAt >= measureFrom && now <= measureTo) {
            e2e.recordValue(Math.max(0, (now - sentAt) / 1000));
            deliveredInWindow.increment();
        }
    }

    static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }
}
