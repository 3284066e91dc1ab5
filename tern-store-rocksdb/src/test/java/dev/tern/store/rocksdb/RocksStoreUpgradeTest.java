package dev.tern.store.rocksdb;

import dev.tern.core.store.DedupRecord;
import dev.tern.core.store.DeleteDedup;
import dev.tern.core.store.DeleteTicket;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.TicketRecord;
import dev.tern.store.testkit.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A directory written with key layout 1, before the time indexes existed, still works: the first open
 * indexes its dedup records and tickets, stamps layout 2, and the sweeps then find the old records.
 */
class RocksStoreUpgradeTest {

    /** More than one of the upgrade's write batches (10,000 entries each). */
    private static final int DEDUPS = 10_050;

    @TempDir
    Path dir;

    private RocksStore open() {
        return RocksStore.open(new RocksStoreConfig(dir, 8L << 20, 1L << 20));
    }

    private static DedupRecord dedup(int i) {
        return new DedupRecord(i % 7, "cm-" + i, 40, i, i, i - 1, 1_000_000L + i);
    }

    private static TicketRecord ticket(int n, long expiresAtMs) {
        return new TicketRecord(Samples.hash(n), 10, 100 + n, "device", 1, expiresAtMs);
    }

    /** Writes records with the current build, then takes the directory back to layout 1. */
    private void writeLayoutOneDirectory() throws RocksDBException {
        List<Mutation> batch = new ArrayList<>();
        for (int i = 1; i <= DEDUPS; i++) {
            batch.add(dedup(i));
        }
        batch.add(ticket(1, 3_000));
        batch.add(ticket(2, 1_000));
        batch.add(ticket(3, 2_000));
        try (RocksStore store = open()) {
            store.write(batch);
        }
        try (RawDb raw = new RawDb(dir)) {
            raw.dropFamily("dedup_by_time");
            raw.dropFamily("tickets_by_expiry");
            raw.put("default", RocksEngine.LAYOUT_KEY, ValueCodec.number(1));
        }
    }

    private static long countDue(RocksStore store) {
        long n = 0;
        long before = Long.MAX_VALUE;
        List<DedupRecord> page = store.dedupsBefore(before, 1_000);
        long lastTs = Long.MIN_VALUE;
        // Pages by time: every record has its own tsMs, so the next page starts after the last one seen.
        while (!page.isEmpty()) {
            for (DedupRecord d : page) {
                assertThat(d.tsMs()).as("oldest first, each once").isGreaterThan(lastTs);
                lastTs = d.tsMs();
                n++;
            }
            List<Mutation> deletes = page.stream().<Mutation>map(d -> new DeleteDedup(d.deviceId(), d.clientMsgId()))
                    .toList();
            store.write(deletes);
            page = store.dedupsBefore(before, 1_000);
        }
        return n;
    }

    @Test
    void aLayoutOneDirectoryIsIndexedAtOpenAndItsOldRecordsExpire() throws RocksDBException {
        writeLayoutOneDirectory();

        try (RocksStore store = open()) {
            assertThat(store.dedupsBefore(1_000_000L + 4, 10)).containsExactly(dedup(1), dedup(2), dedup(3));
            assertThat(store.ticketsExpiredBefore(2_500, 10)).extracting(TicketRecord::expiresAtMs)
                    .containsExactly(1_000L, 2_000L);
            // An old record rewritten with another time moves, not copies, its entry.
            store.write(List.of(new DedupRecord(1, "cm-1", 40, 1, 1, 0, 5_000_000L), ticket(2, 9_000),
                    new DeleteTicket(Samples.hash(3))));
            assertThat(store.dedupsBefore(1_000_000L + 4, 10)).containsExactly(dedup(2), dedup(3));
            assertThat(store.ticketsExpiredBefore(10_000, 10)).extracting(TicketRecord::expiresAtMs)
                    .containsExactly(3_000L, 9_000L);
        }
        try (RawDb raw = new RawDb(dir)) {
            assertThat(raw.get("default", RocksEngine.LAYOUT_KEY)).containsExactly(1, 2);
        }
        try (RocksStore store = open()) {
            assertThat(countDue(store)).as("every old record, once, after a second open").isEqualTo(DEDUPS);
            assertThat(store.dedupsBefore(Long.MAX_VALUE, 10)).isEmpty();
        }
    }

    @Test
    void anUpgradeCutShortRunsAgainWholeAndListsEachRecordOnce() throws RocksDBException {
        writeLayoutOneDirectory();
        open().close();
        // As if the process died during the upgrade: some entries written, the stamp still 1.
        try (RawDb raw = new RawDb(dir)) {
            for (int i = 1; i <= 5_000; i++) {
                DedupRecord d = dedup(i);
                raw.delete("dedup_by_time", Keys.timeAnd(d.tsMs(), Keys.idAndString(d.deviceId(), d.clientMsgId())));
            }
            raw.put("default", RocksEngine.LAYOUT_KEY, ValueCodec.number(1));
        }

        try (RocksStore store = open()) {
            assertThat(store.dedupsBefore(1_000_000L + 3, 10)).containsExactly(dedup(1), dedup(2));
            assertThat(countDue(store)).isEqualTo(DEDUPS);
            assertThat(store.ticketsExpiredBefore(Long.MAX_VALUE, 10)).hasSize(3);
        }
    }
}
