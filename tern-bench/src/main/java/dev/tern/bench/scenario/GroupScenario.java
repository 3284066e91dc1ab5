package dev.tern.bench.scenario;

import com.google.protobuf.ByteString;
import dev.tern.bench.load.Fleet;
import dev.tern.bench.load.SendTemplate;
import dev.tern.bench.load.ServerHistogram;
import dev.tern.bench.load.Target;
import dev.tern.bench.load.WsClient;
import dev.tern.bench.report.ProcStats;
import dev.tern.bench.report.Results;
import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.CreateGroup;
import dev.tern.protocol.v1.Send;
import dev.tern.protocol.v1.ServerFrame;
import org.HdrHistogram.ConcurrentHistogram;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Groups of M members, all online. One member of each group posts {@code messages} messages, one at a
 * time per group; we measure deliveries/s and, per message, the time until every other member has it.
 */
public final class GroupScenario {

    /** Shape of the load. */
    public record Options(int groups, int members, int messages, int bodyBytes, boolean json, int clientThreads) {}

    private record Key(long conversation, long stamp) {}

    private final Options o;
    private final ConcurrentHistogram complete = new ConcurrentHistogram(600_000_000L, 3);
    private final ConcurrentHistogram each = new ConcurrentHistogram(600_000_000L, 3);
    private final LongAdder deliveries = new LongAdder();
    private final ConcurrentHashMap<Key, AtomicInteger> outstanding = new ConcurrentHashMap<>();

    public GroupScenario(Options o) {
        this.o = o;
    }

    public Results.Run run(Target target, Results results, int repetition) throws Exception {
        Results.Run run = results.add(new Results.Run("group", target.kind.label, repetition));
        try (WsClient.Pool pool = new WsClient.Pool(o.clientThreads())) {
            List<Fleet.Account> users = Fleet.login(pool, target.uri(), "member_", o.groups() * o.members(), o.json(),
                    i -> this::onPush);
            if (!o.json()) {
                // Pushes read without building protobuf objects, so the generator is not the ceiling.
                users.forEach(a -> a.client().rawHandler(SendTemplate.pushes(this::delivered)));
            }
            List<Fleet.Account> senders = new ArrayList<>();
            List<Long> groupIds = new ArrayList<>();
            for (int g = 0; g < o.groups(); g++) {
                Fleet.Account owner = users.get(g * o.members());
                CreateGroup.Builder cg = CreateGroup.newBuilder().setTitle("bench group " + g);
                for (int m = 1; m < o.members(); m++) {
                    cg.addMembers(users.get(g * o.members() + m).username());
                }
                ServerFrame r = owner.client().request(ClientFrame.newBuilder().setCreateGroup(cg)).get(120, TimeUnit.SECONDS);
                if (!r.hasOk()) {
                    throw new IllegalStateException("create group: " + r);
                }
                senders.add(owner);
                groupIds.add(r.getOk().getConversationId());
            }
            Thread.sleep(1000); // let the creation pushes drain before measuring
            deliveries.reset();
            boolean tern = target.kind != Target.Kind.BARE_RELAY && target.kind != Target.Kind.DURABLE_RELAY;
            double writesBefore = tern ? ServerHistogram.counter(target.metricsUri(), "tern_store_mutations_total") : 0;
            ProcStats.Meter serverCpu = new ProcStats.Meter(target.pid());
            ProcStats.Meter genCpu = new ProcStats.Meter(ProcessHandle.current().pid());
            long start = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            for (int g = 0; g < o.groups(); g++) {
                Fleet.Account sender = senders.get(g);
                long conversation = groupIds.get(g);
                threads.add(Thread.ofVirtual().start(() -> post(sender, conversation)));
            }
            for (Thread t : threads) {
                t.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (tern) {
                // Store records written per message posted: constant under fan-out on read.
                run.put("store_writes_per_message", (ServerHistogram.counter(target.metricsUri(),
                        "tern_store_mutations_total") - writesBefore) / ((double) o.groups() * o.messages()));
            }
            run.put("groups", o.groups()).put("members", o.members()).put("messages_per_group", o.messages())
                    .put("deliveries_per_s", deliveries.sum() / seconds)
                    .put("server_cpu_cores", serverCpu.cores()).put("generator_cpu_cores", genCpu.cores())
                    .put("server_max_gc_pause_ms", target.maxGcPauseMillis())
                    .latency("all_members", complete.copy()).latency("delivery", each.copy())
                    .perUnit("server_cpu_us_per_delivery", "server_cpu_cores", "deliveries_per_s")
                    .perUnit("generator_cpu_us_per_delivery", "generator_cpu_cores", "deliveries_per_s");
            users.forEach(a -> a.client().close());
        }
        return run;
    }

    /** Posts one message at a time and waits until all other members have it (or 30 s). */
    private void post(Fleet.Account sender, long conversation) {
        for (int i = 0; i < o.messages(); i++) {
            long stamp = System.nanoTime();
            AtomicInteger left = new AtomicInteger(o.members() - 1);
            Key key = new Key(conversation, stamp);
            outstanding.put(key, left);
            byte[] body = new byte[Math.max(8, o.bodyBytes())];
            ByteBuffer.wrap(body).putLong(stamp);
            sender.client().request(ClientFrame.newBuilder().setSend(Send.newBuilder().setConversationId(conversation)
                    .setClientMsgId("g" + i).setContentType("application/octet-stream").setData(ByteString.copyFrom(body))));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            synchronized (left) {
                while (left.get() > 0 && System.nanoTime() < deadline) {
                    try {
                        left.wait(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            outstanding.remove(key);
        }
    }

    private void onPush(WsClient c, ServerFrame f) {
        if (!f.hasUpdate() || !f.getUpdate().getUpdate().hasMessage()) {
            return;
        }
        var m = f.getUpdate().getUpdate().getMessage();
        if (m.getData().size() < 8) {
            return;
        }
        delivered(m.getConversationId(), m.getData().asReadOnlyByteBuffer().getLong());
    }

    private void delivered(long conversationId, long stamp) {
        long now = System.nanoTime();
        deliveries.increment();
        each.recordValue(Math.max(0, (now - stamp) / 1000));
        AtomicInteger left = outstanding.get(new Key(conversationId, stamp));
        if (left != null && left.decrementAndGet() == 0) {
            complete.recordValue(Math.max(0, (now - stamp) / 1000));
            synchronized (left) {
                left.notifyAll();
            }
        }
    }
}
