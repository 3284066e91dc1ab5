package dev.tern.bench.jmh;

import dev.tern.core.store.BodyKind;
import dev.tern.core.store.DedupRecord;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.UpdateKind;
import dev.tern.core.store.UpdateRecord;
import dev.tern.store.rocksdb.RocksStore;
import dev.tern.store.rocksdb.RocksStoreConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@link RocksStore#write} of one group-commit batch of 100 direct messages (message + update-log
 * entry + dedup record each: 300 mutations), synced. One operation is one batch, so messages per
 * second are 100 x the score; the score itself is close to the disk's fsync rate, which is the point.
 * Encoding the records is included, as the commit thread pays for it too.
 *
 * <p>The database lives in a fresh directory under {@code -Dtern.bench.dir} (default: java.io.tmpdir),
 * which must be on the disk being measured (not tmpfs) for the figure to mean anything.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@Threads(1)
@State(Scope.Thread)
public class StoreAppendBench {
    private static final int MESSAGES = 100;
    private static final int CONVERSATIONS = 1_000;
    private static final byte[] BODY = "x".repeat(100).getBytes(StandardCharsets.UTF_8);

    private Path dir;
    private RocksStore store;
    private long seq;
    private long pts;

    @Setup
    public void open() throws IOException {
        Path parent = Path.of(System.getProperty("tern.bench.dir", System.getProperty("java.io.tmpdir")));
        dir = Files.createTempDirectory(parent, "store-append-bench-");
        store = RocksStore.open(new RocksStoreConfig(dir, 64 << 20, 32 << 20, true));
    }

    @Benchmark
    public int writeBatchOf100() {
        List<Mutation> batch = new ArrayList<>(MESSAGES * 3);
        long now = System.currentTimeMillis();
        for (int i = 0; i < MESSAGES; i++) {
            // Spread over conversations and users like many pairs chatting; keys never repeat.
            long s = ++seq;
            long p = ++pts;
            long conv = s % CONVERSATIONS + 1;
            long sender = conv * 2;
            long recipient = sender + 1;
            String clientMsgId = "c-" + s;
            batch.add(new MessageRecord(conv, s, sender, "user_" + sender, sender, clientMsgId, "text/plain",
                    BodyKind.TEXT, BODY, now));
            batch.add(new UpdateRecord(recipient, p, p - 1, UpdateKind.MESSAGE, conv, s, sender));
            batch.add(new DedupRecord(sender, clientMsgId, conv, s, p, p - 1, now));
        }
        store.write(batch);
        return batch.size();
    }

    @TearDown
    public void close() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
