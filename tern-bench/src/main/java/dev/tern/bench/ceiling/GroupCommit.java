package dev.tern.bench.ceiling;

import dev.tern.protocol.v1.Error;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.ServerFrame;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import org.rocksdb.CompressionType;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Durable mode: one thread drains every queued send, issues their seq/pts, writes all of them as
 * ONE synced RocksDB WriteBatch and only then hands acks and pushes to the connections' loops.
 * While one fsync runs the loops keep queueing, so the batch grows with load and the fsync cost per
 * message falls: that is the whole point of group commit.
 *
 * <p>Per message: the message under {@code 'm' conv seq}, a dedup entry under
 * {@code 'd' device clientMsgId}, and for a direct chat one update-log entry under
 * {@code 'u' recipient pts} (3 puts). Group messages carry no recipient pts in the ceiling (see
 * {@link Relay}), so they write 2 puts: less than Tern, which is fine for an upper bound.
 */
final class GroupCommit implements AutoCloseable {
    /** Bounds one commit's latency; far above what 100 pairs x 20 in flight can queue. */
    private static final int MAX_BATCH = 16_384;

    private record Job(Relay.Pending p, byte[] value, byte[] dedupKey) {}

    private final Relay relay;
    private final Options options;
    private final WriteOptions sync;
    private final RocksDB db;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private long batches;
    private long messages;
    private long writeNanos;

    static {
        RocksDB.loadLibrary();
    }

    GroupCommit(Relay relay, Path dir) throws RocksDBException, IOException {
        this.relay = relay;
        Files.createDirectories(dir);
        this.options = new Options()
                .setCreateIfMissing(true)
                .setWriteBufferSize(64L << 20)
                .setMaxWriteBufferNumber(4)
                .setMaxBackgroundJobs(2)
                .setCompressionType(CompressionType.LZ4_COMPRESSION);
        // WAL on (the default) and fsynced on every write: durability comes from the WAL.
        this.sync = new WriteOptions().setSync(true).setDisableWAL(false);
        this.db = RocksDB.open(options, dir.toString());
        this.thread = Thread.ofPlatform().name("group-commit").daemon(true).start(this::run);
    }

    /** On the sender's loop: everything that does not need seq/pts is prepared here, not on the commit thread. */
    void submit(Relay.Pending p) {
        byte[] id = p.base.getClientMsgId().getBytes(StandardCharsets.UTF_8);
        byte[] dedupKey = ByteBuffer.allocate(9 + id.length).put((byte) 'd').putLong(p.senderDevice).put(id).array();
        queue.add(new Job(p, p.base.toByteArray(), dedupKey));
    }

    private void run() {
        List<Job> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Job first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            commit(batch);
            batch.clear();
        }
    }

    private void commit(List<Job> batch) {
        boolean ok;
        try (WriteBatch wb = new WriteBatch()) {
            for (Job j : batch) {
                Relay.Pending p = j.p;
                // Issued here, by the only thread that issues them in durable mode, in commit order.
                relay.assign(p);
                wb.put(key('m', p.conv.id, p.seq), j.value);
                wb.put(j.dedupKey, ByteBuffer.allocate(24).putLong(p.conv.id).putLong(p.seq).putLong(p.senderPts).array());
                if (!p.conv.group && p.recipientPts != 0) {
                    long recipient = p.conv.other(p.sender).id;
                    wb.put(key('u', recipient, p.recipientPts),
                            ByteBuffer.allocate(16).putLong(p.conv.id).putLong(p.seq).array());
                }
            }
            long t0 = System.nanoTime();
            db.write(sync, wb);
            writeNanos += System.nanoTime() - t0;
            ok = true;
        } catch (RocksDBException e) {
            System.err.println("group commit failed: " + e.getMessage());
            ok = false;
        }
        if (ok) {
            handOver(batch);
        } else {
            // Nothing of the batch is durable: no push, and the sender may retry with the same id.
            for (Job j : batch) {
                j.p.replyTo.offer(ServerFrame.newBuilder().setId(j.p.requestId).setError(Error.newBuilder()
                        .setCode(ErrorCode.STORAGE_UNAVAILABLE).setRetryable(true)).build());
            }
        }
        batches++;
        messages += batch.size();
    }

    /**
     * Gives each event loop ONE task per batch with its connections' frames, in issue order, rather
     * than one task (and possibly one eventfd wakeup) per connection: the loops wake a few times per
     * fsync instead of hundreds, and the commit thread is free for the next batch sooner. A loop runs
     * its tasks in submission order, so every connection still sees its pts increase.
     */
    private void handOver(List<Job> batch) {
        Map<EventLoop, List<Object>> perLoop = new IdentityHashMap<>();
        Relay.Handoff collect = (to, item) -> {
            List<Object> l = perLoop.computeIfAbsent(to.loop(), k -> new ArrayList<>());
            l.add(to);
            l.add(item);
        };
        for (Job j : batch) {
            relay.deliver(j.p, collect);
        }
        for (Map.Entry<EventLoop, List<Object>> e : perLoop.entrySet()) {
            List<Object> l = e.getValue();
            Runnable task = () -> {
                for (int i = 0; i < l.size(); i += 2) {
                    ((Outbox) l.get(i)).put(l.get(i + 1));
                }
            };
            try {
                e.getKey().execute(task);
            } catch (RejectedExecutionException shuttingDown) {
                for (int i = 1; i < l.size(); i += 2) {
                    ReferenceCountUtil.release(l.get(i));
                }
            }
        }
    }

    private static byte[] key(char prefix, long a, long b) {
        return ByteBuffer.allocate(17).put((byte) prefix).putLong(a).putLong(b).array();
    }

    /** Finishes what is queued, then closes the database. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            // Closing the database under a running write would crash the JVM: leave it to the OS.
            System.err.println("group commit: still writing after 10 s, database left open");
            return;
        }
        System.err.printf(Locale.ROOT, "group commit: %d messages in %d batches (%.1f per fsync, %.2f ms per synced write)%n",
                messages, batches, batches == 0 ? 0.0 : (double) messages / batches,
                batches == 0 ? 0.0 : writeNanos / 1e6 / batches);
        db.close();
        sync.close();
        options.close();
    }
}
