package dev.tern.store.rocksdb;

import dev.tern.core.store.DedupRecord;
import dev.tern.core.store.DeleteDedup;
import dev.tern.core.store.Mutation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.WriteBatch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The time index on disk. Upserts write their entry blind, so a record that changed time leaves a
 * stale entry; only the raw family shows one, because the sweeps check each entry against its record,
 * and the sweeps delete the stale entries they pass over. These tests look at the raw family to see
 * that stale entries do not outlive a sweep and that no record is ever left without its entry.
 */
class RocksStoreTimeIndexTest {

    @TempDir
    Path dir;

    private RocksStore open() {
        return RocksStore.open(config());
    }

    private RocksStoreConfig config() {
        return new RocksStoreConfig(dir, 8L << 20, 1L << 20);
    }

    private static DedupRecord dedup(long deviceId, String clientMsgId, long tsMs) {
        return new DedupRecord(deviceId, clientMsgId, 1, 1, 1, 0, tsMs);
    }

    private static byte[] entry(long tsMs, long deviceId, String clientMsgId) {
        return Keys.timeAnd(tsMs, Keys.idAndString(deviceId, clientMsgId));
    }

    /** Sweeps everything below {@code before} in pages of {@code page}, as the core does; returns the count. */
    private static int sweep(RocksStore store, long before, int page) {
        int swept = 0;
        List<DedupRecord> due;
        while (!(due = store.dedupsBefore(before, page)).isEmpty()) {
            assertThat(due).hasSizeLessThanOrEqualTo(page);
            store.write(due.stream().<Mutation>map(d -> new DeleteDedup(d.deviceId(), d.clientMsgId())).toList());
            swept += due.size();
        }
        return swept;
    }

    /** Every one of the {@code records} stored is listed once, at the time it has, and a sweep takes them all. */
    private static void listedOnceAtTheirCurrentTimesThenSwept(RocksStore store, int records, int page) {
        List<DedupRecord> listed = store.dedupsBefore(Long.MAX_VALUE, 1_000);
        assertThat(listed).as("each record once, none lost").hasSize(records);
        for (DedupRecord d : listed) {
            assertThat(store.dedup(d.deviceId(), d.clientMsgId())).as("at its current time").contains(d);
        }
        assertThat(sweep(store, Long.MAX_VALUE, page)).isEqualTo(records);
    }

    @Test
    @Timeout(120)
    void concurrentUpsertsOfTheSameKeysAreListedOnceAtTheirCurrentTimeAndASweepLeavesNoEntry() throws Exception {
        int threads = 8;
        int keys = 40;
        int rounds = 25;
        try (RocksStore store = open(); ExecutorService pool = Executors.newFixedThreadPool(threads)) {
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
                            batch.add(dedup(k % 3, "k" + k, 1_000 * r + thread));
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
            listedOnceAtTheirCurrentTimesThenSwept(store, keys, 7);
        }
        try (RawDb raw = new RawDb(dir)) {
            assertThat(raw.keys("dedup")).isEmpty();
            assertThat(raw.keys("dedup_by_time")).as("no entry outlives the sweep").isEmpty();
        }
    }

    @Test
    void anUpsertLeavesItsOldEntryAndAPageSkipsAndDeletesTheStaleEntriesUpToItsLastRecord() throws Exception {
        try (RocksStore store = open()) {
            for (int t = 1; t <= 20; t++) {
                // (1, "moving") leaves an entry at every time; (2, "d<t>") is due at each of them.
                store.write(List.of(dedup(1, "moving", t), dedup(2, "d" + t, t)));
            }
        }
        try (RawDb raw = new RawDb(dir)) {
            assertThat(raw.keys("dedup_by_time")).as("upserts do not read, so 19 entries are stale").hasSize(40);
        }
        try (RocksStore store = open()) {
            List<DedupRecord> page = store.dedupsBefore(1_000, 5);
            assertThat(page).as("a full page although a stale entry precedes each record")
                    .containsExactly(dedup(2, "d1", 1), dedup(2, "d2", 2), dedup(2, "d3", 3), dedup(2, "d4", 4),
                            dedup(2, "d5", 5));
        }
        try (RawDb raw = new RawDb(dir)) {
            List<byte[]> index = raw.keys("dedup_by_time");
            assertThat(index).as("the stale entries before the last record returned are gone, no others").hasSize(35);
            assertThat(index).noneMatch(e -> Arrays.equals(e, entry(5, 1, "moving")))
                    .anyMatch(e -> Arrays.equals(e, entry(6, 1, "moving")));
        }
        try (RocksStore store = open()) {
            assertThat(store.dedupsBefore(1_000, 100)).hasSize(21).contains(dedup(1, "moving", 20));
            assertThat(sweep(store, 1_000, 6)).isEqualTo(21);
        }
        try (RawDb raw = new RawDb(dir)) {
            assertThat(raw.keys("dedup")).isEmpty();
            assertThat(raw.keys("dedup_by_time")).isEmpty();
        }
    }

    @Test
    void aSweepPassesAnyRunOfStaleEntriesAndRemovesIt() throws Exception {
        try (RocksStore store = open()) {
            store.write(List.of(dedup(1, "kept", 5_000), dedup(1, "gone", 10)));
            store.write(List.of(new DeleteDedup(1, "gone")));
        }
        int stale = 3 * TimeIndex.SCAN_PAGE + 7;
        try (RawDb raw = new RawDb(dir)) {
            // Entries of records that moved away or were deleted, more than a few scan pages of them.
            for (int t = 0; t < stale; t++) {
                raw.put("dedup_by_time", entry(t, 1, t % 2 == 0 ? "kept" : "gone"), BatchEncoder.PRESENCE);
            }
        }
        try (RocksStore store = open()) {
            assertThat(store.dedupsBefore(5_000, 1)).as("nothing due: stale entries are never returned").isEmpty();
            assertThat(store.dedupsBefore(5_001, 1)).containsExactly(dedup(1, "kept", 5_000));
        }
        try (RawDb raw = new RawDb(dir)) {
            assertThat(raw.keys("dedup_by_time")).as("only the record's own entry is left")
                    .singleElement().satisfies(e -> assertThat(e).isEqualTo(entry(5_000, 1, "kept")));
        }
    }

    @Test
    void withinOneBatchALaterMutationOfAKeyReplacesTheEntryOfAnEarlierOne() throws Exception {
        try (RocksStore store = open()) {
            store.write(List.of(dedup(1, "twice", 6), dedup(1, "twice", 60), dedup(1, "twice", 60)));
            store.write(List.of(dedup(2, "stored", 7)));
            store.write(List.of(dedup(2, "stored", 70), new DeleteDedup(2, "stored")));
            store.write(List.of(dedup(3, "gone", 8), new DeleteDedup(3, "gone")));
        }
        try (RawDb raw = new RawDb(dir)) {
            assertThat(raw.keys("dedup_by_time")).as("the delete removes the stored entry and the batch's own")
                    .singleElement().satisfies(e -> assertThat(e).isEqualTo(entry(60, 1, "twice")));
        }
    }

    /**
     * The race a sweep's clean-up runs against: it found an entry stale (the record had another time),
     * and before its delete lands, an upsert rewrites the record at exactly that entry's time. The
     * clean-up must put the entry back, or the record would never be listed.
     */
    @Test
    void aCleanUpPutsBackTheEntryOfARecordRewrittenAtItsTimeMeanwhile() throws Exception {
        try (RocksEngine engine = RocksEngine.open(config())) {
            TimeIndex index = new TimeIndex(engine, new RocksAccess(engine));
            BatchEncoder encoder = new BatchEncoder(engine);
            try (WriteBatch wb = new WriteBatch()) {
                TimeIndex.Batch upkeep = index.batch();
                encoder.add(wb, dedup(1, "back", 10), upkeep);
                encoder.add(wb, dedup(1, "moved", 30), upkeep);
                engine.db().write(engine.writeOptions(), wb);
            }
            // "back" is at 10 again by the time the delete lands; "moved" really is elsewhere.
            index.clean(TimeIndex.DEDUP, List.of(entry(10, 1, "back"), entry(20, 1, "moved")));

            assertThat(index.due(TimeIndex.DEDUP, Long.MAX_VALUE, 10))
                    .containsExactly(dedup(1, "back", 10), dedup(1, "moved", 30));
        }
        try (RawDb raw = new RawDb(dir)) {
            assertThat(raw.keys("dedup_by_time")).hasSize(2)
                    .anyMatch(e -> Arrays.equals(e, entry(10, 1, "back")))
                    .anyMatch(e -> Arrays.equals(e, entry(30, 1, "moved")));
        }
    }

    @Test
    @Timeout(120)
    void sweepsRunningDuringUpsertsThatMoveKeysBackAndForthNeverLoseARecordsEntry() throws Exception {
        int writers = 3;
        int keys = 12;
        int rounds = 30;
        long[] times = {10, 20, 30};
        try (RocksStore store = open(); ExecutorService pool = Executors.newFixedThreadPool(writers + 1)) {
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        List<Mutation> batch = new ArrayList<>();
                        for (int k = 0; k < keys; k++) {
                            batch.add(dedup(1, "k" + k, times[(r + k + writer) % times.length]));
                        }
                        store.write(batch);
                    }
                    return null;
                }));
            }
            Future<Integer> sweeper = pool.submit(() -> {
                int passes = 0;
                while (writing.get()) {
                    store.dedupsBefore(25, 5); // reads only: cleans the stale entries it meets
                    passes++;
                }
                return passes;
            });
            for (Future<?> f : done) {
                f.get();
            }
            writing.set(false);
            assertThat(sweeper.get()).isPositive();

            listedOnceAtTheirCurrentTimesThenSwept(store, keys, 5);
        }
        try (RawDb raw = new RawDb(dir)) {
            assertThat(raw.keys("dedup_by_time")).isEmpty();
        }
    }
}
