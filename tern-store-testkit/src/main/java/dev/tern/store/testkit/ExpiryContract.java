package dev.tern.store.testkit;

import dev.tern.core.store.DedupRecord;
import dev.tern.core.store.DeleteDedup;
import dev.tern.core.store.DeleteTicket;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.TicketRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import static dev.tern.store.testkit.Samples.hash;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The records that expire, read by time for the sweeps: dedup records by {@code tsMs}
 * ({@code dedupsBefore}), tickets by {@code expiresAtMs} ({@code ticketsExpiredBefore}). Bounds are
 * exclusive, the oldest come first (equal times in key order). A record is listed once, at the time
 * it has now, however often (and however concurrently) it was rewritten with other times, and a
 * deleted one is not listed. A store may keep index entries for times a record no longer has (the
 * RocksDB store writes its entries blind, so that a send costs no read), but never lists them, a
 * page still holds {@code limit} records when that many are due, and a sweep in pages ends with
 * nothing due left.
 */
public interface ExpiryContract extends StoreFixture {

    private static DedupRecord dedupAt(long deviceId, String clientMsgId, long tsMs) {
        return new DedupRecord(deviceId, clientMsgId, 40 + deviceId, 7, 8, 6, tsMs);
    }

    private static TicketRecord ticketUntil(int n, long expiresAtMs) {
        return new TicketRecord(hash(n), 10 + n, 100 + n, "device " + n, 5, expiresAtMs);
    }

    private static List<String> keys(List<DedupRecord> records) {
        return records.stream().map(d -> d.deviceId() + "/" + d.clientMsgId() + "@" + d.tsMs()).toList();
    }

    private static List<Long> expiries(List<TicketRecord> tickets) {
        return tickets.stream().map(TicketRecord::expiresAtMs).toList();
    }

    /**
     * Sweeps the dedup records below {@code before} as the core does: reads a page of {@code page},
     * deletes it, reads again until a page is empty. Returns how many it deleted, failing once that
     * passes {@code stored} (a sweep that does not end).
     */
    private int sweep(long before, int page, int stored) {
        int swept = 0;
        List<DedupRecord> due;
        while (!(due = store().dedupsBefore(before, page)).isEmpty()) {
            assertThat(due).hasSizeLessThanOrEqualTo(page);
            store().write(due.stream().<Mutation>map(d -> new DeleteDedup(d.deviceId(), d.clientMsgId())).toList());
            swept += due.size();
            assertThat(swept).as("the sweep must end").isLessThanOrEqualTo(stored);
        }
        return swept;
    }

    @Test
    default void dedupsBeforeFindsTheOlderRecordsOldestFirstWithTheBoundExclusive() {
        assertThat(store().dedupsBefore(Long.MAX_VALUE, 10)).isEmpty();
        store().write(List.of(dedupAt(3, "c", 300), dedupAt(1, "a", 100), dedupAt(256, "b", 100), dedupAt(2, "b", 100),
                dedupAt(2, "ab", 100), dedupAt(9, "z", 70_000), dedupAt(1, "late", 1_000_000)));

        assertThat(keys(store().dedupsBefore(300, 10))).as("equal times in (device, client id) order")
                .containsExactly("1/a@100", "2/ab@100", "2/b@100", "256/b@100");
        assertThat(keys(store().dedupsBefore(301, 10))).hasSize(5).endsWith("3/c@300");
        assertThat(keys(store().dedupsBefore(100, 10))).isEmpty();
        assertThat(keys(store().dedupsBefore(Long.MAX_VALUE, 10))).hasSize(7)
                .containsSubsequence("3/c@300", "9/z@70000", "1/late@1000000");
        assertThat(store().dedupsBefore(101, 10).getFirst()).isEqualTo(dedupAt(1, "a", 100));
    }

    @Test
    default void dedupsBeforeStopsAtTheLimitAndASweepInPagesEndsWithNothingLeft() {
        List<Mutation> batch = new ArrayList<>();
        for (int i = 1; i <= 25; i++) {
            batch.add(dedupAt(i % 4, "m" + i, 1_000 + i));
        }
        batch.add(dedupAt(1, "young", 5_000));
        store().write(batch);

        assertThat(keys(store().dedupsBefore(5_000, 3))).containsExactly("1/m1@1001", "2/m2@1002", "3/m3@1003");
        assertThat(store().dedupsBefore(5_000, 0)).isEmpty();
        assertThatThrownBy(() -> store().dedupsBefore(5_000, -1)).isInstanceOf(IllegalArgumentException.class);

        assertThat(sweep(5_000, 7, 25)).isEqualTo(25);
        assertThat(store().dedup(1, "m1")).isEmpty();
        assertThat(store().dedup(1, "young")).contains(dedupAt(1, "young", 5_000));
        assertThat(keys(store().dedupsBefore(Long.MAX_VALUE, 10))).containsExactly("1/young@5000");
    }

    @Test
    default void aDedupUpsertThatMovesItsTimeIsListedOnceAtItsNewTime() {
        store().write(List.of(dedupAt(1, "moved", 5)));
        store().write(List.of(dedupAt(1, "moved", 50)));
        // Within one batch, the later mutation wins, the index included.
        store().write(List.of(dedupAt(2, "twice", 6), dedupAt(2, "twice", 60)));

        assertThat(store().dedupsBefore(10, 10)).as("no entry left at the old times").isEmpty();
        assertThat(keys(store().dedupsBefore(100, 10))).containsExactly("1/moved@50", "2/twice@60");

        store().write(List.of(dedupAt(1, "moved", 1)));
        assertThat(keys(store().dedupsBefore(100, 10))).as("moved back, listed once")
                .containsExactly("1/moved@1", "2/twice@60");
        store().write(List.of(dedupAt(1, "moved", 1)));
        assertThat(keys(store().dedupsBefore(100, 10))).as("rewriting the same time changes nothing")
                .containsExactly("1/moved@1", "2/twice@60");

        store().write(List.of(dedupAt(3, "again", 7)));
        store().write(List.of(new DeleteDedup(3, "again")));
        store().write(List.of(dedupAt(3, "again", 7)));
        assertThat(keys(store().dedupsBefore(100, 10))).as("deleted and written again at the same time, listed once")
                .containsExactly("1/moved@1", "3/again@7", "2/twice@60");
    }

    @Test
    default void aPageHoldsTheLimitWhenRecordsThatMovedAwayOrWereDeletedWereDueBetweenThem() {
        List<Mutation> first = new ArrayList<>();
        List<Mutation> moved = new ArrayList<>();
        List<Mutation> movedAgain = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            first.add(dedupAt(1, "k" + (100 + i), 100 + i));
            if (i % 2 == 1) {
                moved.add(dedupAt(1, "k" + (100 + i), 10_000 + i));
                movedAgain.add(dedupAt(1, "k" + (100 + i), 20_000 + i));
            }
        }
        store().write(first);
        store().write(moved);
        store().write(movedAgain);
        store().write(List.of(new DeleteDedup(1, "k100")));

        assertThat(keys(store().dedupsBefore(1_000, 5))).as("every other record moved away, yet a full page")
                .containsExactly("1/k102@102", "1/k104@104", "1/k106@106", "1/k108@108", "1/k110@110");
        assertThat(store().dedupsBefore(1_000, 100)).hasSize(9);
        assertThat(store().dedupsBefore(20_000, 100)).as("nothing at the times the records had in between")
                .hasSize(9);
        assertThat(keys(store().dedupsBefore(Long.MAX_VALUE, 100))).hasSize(19).endsWith("1/k119@20019");
    }

    @Test
    default void aSweepInPagesEndsWithNothingDueAlthoughEveryRecordMovedManyTimes() {
        int records = 10;
        for (int round = 0; round < 30; round++) {
            List<Mutation> batch = new ArrayList<>();
            for (int k = 0; k < records; k++) {
                // Back and forth: the times a record leaves lie both before and after the ones it has.
                batch.add(dedupAt(2, "m" + k, (round % 2 == 0 ? round : 1_000 - round) * 10L + k));
            }
            store().write(batch);
        }
        assertThat(keys(store().dedupsBefore(Long.MAX_VALUE, 100))).as("each once, at its last time")
                .containsExactly("2/m0@9710", "2/m1@9711", "2/m2@9712", "2/m3@9713", "2/m4@9714", "2/m5@9715",
                        "2/m6@9716", "2/m7@9717", "2/m8@9718", "2/m9@9719");
        assertThat(store().dedupsBefore(9_710, 100)).isEmpty();

        assertThat(sweep(Long.MAX_VALUE, 3, records)).isEqualTo(records);
        for (int k = 0; k < records; k++) {
            assertThat(store().dedup(2, "m" + k)).isEmpty();
        }
    }

    /** Runs {@code threads} writers at once, each writing in order the batches {@code batches} makes for its number. */
    private void concurrently(int threads, IntFunction<List<List<Mutation>>> batches) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<List<Mutation>> mine = batches.apply(t);
                done.add(pool.submit(() -> {
                    start.await();
                    mine.forEach(store()::write);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        }
    }

    @Test
    default void aKeyRewrittenConcurrentlyWithManyTimesIsListedOnceAtTheTimeItHasAndASweepClearsIt()
            throws Exception {
        concurrently(6, t -> {
            List<List<Mutation>> batches = new ArrayList<>();
            for (int r = 0; r < 15; r++) {
                batches.add(List.of(dedupAt(5, "race", 1_000L * r + t), ticketUntil(7, 1_000L * r + t)));
            }
            return batches;
        });
        DedupRecord now = store().dedup(5, "race").orElseThrow();
        assertThat(store().dedupsBefore(Long.MAX_VALUE, 100)).containsExactly(now);
        assertThat(store().dedupsBefore(now.tsMs(), 100)).isEmpty();
        TicketRecord ticket = store().ticket(hash(7)).orElseThrow();
        assertThat(store().ticketsExpiredBefore(Long.MAX_VALUE, 100)).singleElement()
                .usingRecursiveComparison().isEqualTo(ticket);
        assertThat(store().ticketsExpiredBefore(ticket.expiresAtMs(), 100)).isEmpty();

        store().write(List.of(new DeleteDedup(5, "race"), new DeleteTicket(hash(7))));
        assertThat(store().dedupsBefore(Long.MAX_VALUE, 100)).isEmpty();
        assertThat(store().ticketsExpiredBefore(Long.MAX_VALUE, 100)).isEmpty();
    }

    @Test
    default void deleteDedupRemovesTheRecordAndWhatASweepWouldFind() {
        store().write(List.of(dedupAt(1, "a", 10), dedupAt(1, "b", 20), dedupAt(2, "a", 30)));
        store().write(List.of(new DeleteDedup(1, "a"), new DeleteDedup(1, "nothing"), new DeleteDedup(7, "a")));

        assertThat(store().dedup(1, "a")).isEmpty();
        assertThat(store().dedup(2, "a")).contains(dedupAt(2, "a", 30));
        assertThat(keys(store().dedupsBefore(100, 10))).containsExactly("1/b@20", "2/a@30");

        store().write(List.of(dedupAt(3, "x", 15), new DeleteDedup(3, "x"), new DeleteDedup(4, "y"),
                dedupAt(4, "y", 16)));
        assertThat(store().dedup(3, "x")).isEmpty();
        assertThat(keys(store().dedupsBefore(100, 10))).containsExactly("4/y@16", "1/b@20", "2/a@30");
    }

    @Test
    default void timesOrderAsSignedNumbersAtTheExtremes() {
        store().write(List.of(dedupAt(1, "max", Long.MAX_VALUE), dedupAt(1, "zero", 0), dedupAt(1, "neg", -5),
                ticketUntil(1, Long.MAX_VALUE), ticketUntil(2, 0), ticketUntil(3, -5)));

        assertThat(keys(store().dedupsBefore(0, 10))).containsExactly("1/neg@-5");
        assertThat(keys(store().dedupsBefore(1, 10))).containsExactly("1/neg@-5", "1/zero@0");
        assertThat(store().dedupsBefore(Long.MIN_VALUE, 10)).isEmpty();
        assertThat(keys(store().dedupsBefore(Long.MAX_VALUE, 10))).doesNotContain("1/max@" + Long.MAX_VALUE);
        assertThat(expiries(store().ticketsExpiredBefore(1, 10))).containsExactly(-5L, 0L);
        assertThat(expiries(store().ticketsExpiredBefore(Long.MAX_VALUE, 10))).containsExactly(-5L, 0L);
    }

    @Test
    default void ticketsExpiredBeforeFindsTheExpiredOnesSoonestFirstUpToTheLimit() {
        assertThat(store().ticketsExpiredBefore(Long.MAX_VALUE, 10)).isEmpty();
        store().write(List.of(ticketUntil(1, 3_000), ticketUntil(2, 1_000), ticketUntil(3, 2_000), ticketUntil(4, 1_000),
                ticketUntil(5, 9_000)));

        List<TicketRecord> expired = store().ticketsExpiredBefore(3_000, 10);
        assertThat(expiries(expired)).containsExactly(1_000L, 1_000L, 2_000L);
        assertThat(expired.get(0).hash()).as("equal times in hash order")
                .isEqualTo(java.util.Arrays.compareUnsigned(hash(2), hash(4)) < 0 ? hash(2) : hash(4));
        assertThat(expired.get(2)).usingRecursiveComparison().isEqualTo(ticketUntil(3, 2_000));
        assertThat(store().ticketsExpiredBefore(3_000, 2)).hasSize(2);
        assertThat(store().ticketsExpiredBefore(3_000, 0)).isEmpty();
        assertThat(store().ticketsExpiredBefore(1_000, 10)).isEmpty();
        assertThatThrownBy(() -> store().ticketsExpiredBefore(3_000, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    default void aTicketExtendedOrRevokedIsListedOnlyAtItsCurrentExpiry() {
        store().write(List.of(ticketUntil(1, 1_000), ticketUntil(2, 1_500), ticketUntil(3, 2_000)));
        store().write(List.of(ticketUntil(1, 10_000), new DeleteTicket(hash(2))));
        store().write(List.of(ticketUntil(4, 100), ticketUntil(4, 20_000), new DeleteTicket(hash(9))));

        assertThat(expiries(store().ticketsExpiredBefore(10_000, 10))).containsExactly(2_000L);
        assertThat(expiries(store().ticketsExpiredBefore(Long.MAX_VALUE, 10))).containsExactly(2_000L, 10_000L, 20_000L);
        assertThat(store().ticket(hash(2))).isEmpty();

        store().write(List.of(new DeleteTicket(hash(3)), new DeleteTicket(hash(1)), new DeleteTicket(hash(4))));
        assertThat(store().ticketsExpiredBefore(Long.MAX_VALUE, 10)).isEmpty();
    }

    @Test
    default void theTimeIndexesSurviveARestart() {
        requires(Capability.DURABLE);
        store().write(List.of(dedupAt(1, "a", 10), dedupAt(1, "b", 20), ticketUntil(1, 30)));
        store().write(List.of(dedupAt(1, "a", 40)));

        reopen();
        assertThat(keys(store().dedupsBefore(100, 10))).containsExactly("1/b@20", "1/a@40");
        assertThat(expiries(store().ticketsExpiredBefore(100, 10))).containsExactly(30L);
        store().write(List.of(new DeleteDedup(1, "b")));
        assertThat(keys(reopen().dedupsBefore(100, 10))).containsExactly("1/a@40");
    }
}
