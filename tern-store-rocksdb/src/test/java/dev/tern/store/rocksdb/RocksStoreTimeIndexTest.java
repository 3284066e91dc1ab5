package dev.tern.store.rocksdb;

import dev.tern.core.store.DedupRecord;
import dev.tern.core.store.DeleteDedup;
import dev.tern.core.store.Mutation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The time index on disk holds exactly one entry per record, also when concurrent batches rewrite the
 * same keys with other times: the sweep's read hides a stale entry, so only the raw family shows one.
 */
class RocksStoreTimeIndexTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void concurrentUpsertsOfTheSameKeysLeaveOneEntryPerRecord() throws Exception {
        int threads = 8;
        int keys = 40;
        int rounds = 25;
        try (RocksStore store = RocksStore.open(new RocksStoreConfig(dir, 8L << 20, 1L << 20));
             ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int r = 0; r < rounds; r++) {
                        List<Mutation> batch = new ArrayList<>();
                        for (int k = 0; k < keys; k++) {
                            // Every thread writes every key, each with times of its own.
                            batch.add(new DedupRecord(k % 3, "k" + k, 1, 1, 1, 0, 1_000 * r + thread));
                        }
                        store.write(batch);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            List<DedupRecord> listed = store.dedupsBefore(Long.MAX_VALUE, 1_000);
            assertThat(listed).hasSize(keys);
            for (DedupRecord d : listed) {
                assertThat(store.dedup(d.deviceId(), d.clientMsgId())).contains(d);
            }
            store.write(List.of(new DeleteDedup(0, "k0"), new DeleteDedup(1, "k1")));
        }
        try (RawDb raw = new RawDb(dir)) {
            assertThat(raw.keys("dedup")).hasSize(keys - 2);
            assertThat(raw.keys("dedup_by_time")).as("no stale entries").hasSize(keys - 2);
        }
    }
}
