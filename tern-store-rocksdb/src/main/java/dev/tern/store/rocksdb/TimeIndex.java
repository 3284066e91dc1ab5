package dev.tern.store.rocksdb;

import dev.tern.core.store.DedupRecord;
import dev.tern.core.store.DeleteDedup;
import dev.tern.core.store.DeleteTicket;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.TicketRecord;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToLongFunction;

/**
 * The indexes by time of the records that expire: {@code dedup_by_time} (dedup records by tsMs) and
 * {@code tickets_by_expiry} (tickets by expiresAtMs). An index key is the record's time (sign bit
 * flipped, see {@link Keys#timeAnd}) followed by the record's own key, so a sweep is one bounded scan
 * that reads only what is due, whatever else is stored.
 *
 * <p>Each entry is written and removed in the same WriteBatch as its record. Removing the entry of
 * the record being replaced or deleted needs its old time, so the batch reads the stored record
 * first; a lock stripe per key, held from that read until the batch is durable, keeps two
 * concurrent batches on one key from both reading the old state and leaving a stale entry. Batches
 * without such records take no lock, and the core's single committer never contends.
 */
final class TimeIndex {

    /** One indexed family: its records, its index and how to read a record's time. */
    record Index<T>(Family records, Family byTime, Decoder<T> decoder, ToLongFunction<T> time) {
    }

    @FunctionalInterface
    interface Decoder<T> {
        T decode(byte[] key, byte[] value);
    }

    static final Index<DedupRecord> DEDUP = new Index<>(Family.DEDUP, Family.DEDUP_BY_TIME, TimeIndex::dedup,
            DedupRecord::tsMs);
    static final Index<TicketRecord> TICKETS = new Index<>(Family.TICKETS, Family.TICKETS_BY_EXPIRY,
            ValueCodec::ticket, TicketRecord::expiresAtMs);

    private static final int STRIPES = 64;

    private final RocksEngine engine;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    TimeIndex(RocksEngine engine) {
        this.engine = engine;
        Arrays.setAll(stripes, i -> new ReentrantLock());
    }

    static DedupRecord dedup(byte[] key, byte[] value) {
        String clientMsgId = new String(key, Keys.LONG, key.length - Keys.LONG, StandardCharsets.UTF_8);
        return ValueCodec.dedup(Keys.longAt(key, 0), clientMsgId, value);
    }

    /** Locks the stripes of every indexed key in {@code batch}, in ascending order so batches cannot deadlock. */
    Batch lock(List<Mutation> batch) {
        boolean[] needed = new boolean[STRIPES];
        for (Mutation m : batch) {
            Integer hash = switch (m) {
                case DedupRecord d -> Objects.hash(d.deviceId(), d.clientMsgId());
                case DeleteDedup d -> Objects.hash(d.deviceId(), d.clientMsgId());
                case TicketRecord t -> Arrays.hashCode(t.hash());
                case DeleteTicket d -> Arrays.hashCode(d.hash());
                case null, default -> null;
            };
            if (hash != null) {
                needed[Math.floorMod(hash, STRIPES)] = true;
            }
        }
        List<ReentrantLock> held = new ArrayList<>();
        for (int i = 0; i < STRIPES; i++) {
            if (needed[i]) {
                stripes[i].lock();
                held.add(stripes[i]);
            }
        }
        return new Batch(held);
    }

    /** One batch's index upkeep: the times its earlier mutations gave each key, and the stripes it holds. */
    final class Batch implements AutoCloseable {
        private final List<ReentrantLock> held;
        /** Record key -> its time after the mutations so far (null: deleted), per index. */
        private final Map<Family, Map<ByteBuffer, Long>> times = new HashMap<>();

        private Batch(List<ReentrantLock> held) {
            this.held = held;
        }

        /** Moves {@code key}'s entry in {@code index} to {@code time} (null: the record is deleted). */
        <T> void set(WriteBatch wb, Index<T> index, byte[] key, Long time) throws RocksDBException {
            Map<ByteBuffer, Long> seen = times.computeIfAbsent(index.byTime(), f -> new HashMap<>());
            ByteBuffer k = ByteBuffer.wrap(key);
            Long old = seen.containsKey(k) ? seen.get(k) : stored(index, key);
            seen.put(k, time);
            if (Objects.equals(old, time)) {
                return;
            }
            if (old != null) {
                wb.delete(engine.handle(index.byTime()), Keys.timeAnd(old, key));
            }
            if (time != null) {
                wb.put(engine.handle(index.byTime()), Keys.timeAnd(time, key), BatchEncoder.PRESENCE);
            }
        }

        private <T> Long stored(Index<T> index, byte[] key) throws RocksDBException {
            byte[] value = engine.db().get(engine.handle(index.records()), key);
            return value == null ? null : index.time().applyAsLong(index.decoder().decode(key, value));
        }

        @Override
        public void close() {
            held.reversed().forEach(ReentrantLock::unlock);
        }
    }

    /**
     * Records of {@code index} with a time below {@code before}, oldest first, at most {@code limit}.
     * An entry whose record is gone or has another time is passed over: write() never leaves one,
     * but a sweep must never be handed a record that is not due.
     */
    static <T> List<T> due(RocksAccess db, Index<T> index, long before, int limit) throws RocksDBException {
        RocksAccess.checkLimit(limit);
        List<T> out = new ArrayList<>();
        if (limit == 0 || before == Long.MIN_VALUE) {
            return out;
        }
        byte[] from = Keys.timeAnd(Long.MIN_VALUE, new byte[0]);
        byte[] upper = Keys.timeAnd(before, new byte[0]);
        while (out.size() < limit) {
            int want = limit - out.size();
            List<byte[]> entries = db.forward(index.byTime(), from, upper, want, (k, v) -> k);
            for (byte[] entry : entries) {
                byte[] key = Arrays.copyOfRange(entry, Keys.LONG, entry.length);
                byte[] value = db.get(index.records(), key);
                T record = value == null ? null : index.decoder().decode(key, value);
                if (record != null && index.time().applyAsLong(record) == Keys.timeAt(entry)) {
                    out.add(record);
                }
            }
            if (entries.size() < want) {
                break;
            }
            from = Arrays.copyOf(entries.getLast(), entries.getLast().length + 1); // just past the last
        }
        return out;
    }

    /**
     * Writes the index entry of every stored record of {@code index}, in synced batches of 10,000:
     * the upgrade of a layout-1 database, which had no index. Puts only, so running it again after
     * an interruption gives the same index. Returns the number of records.
     */
    static <T> long build(RocksEngine engine, Index<T> index) throws RocksDBException {
        long n = 0;
        try (RocksIterator it = engine.db().newIterator(engine.handle(index.records()));
             WriteBatch wb = new WriteBatch()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                long time = index.time().applyAsLong(index.decoder().decode(key, it.value()));
                wb.put(engine.handle(index.byTime()), Keys.timeAnd(time, key), BatchEncoder.PRESENCE);
                if (++n % 10_000 == 0) {
                    engine.db().write(engine.writeOptions(), wb);
                    wb.clear();
                }
            }
            it.status();
            engine.db().write(engine.writeOptions(), wb);
        }
        return n;
    }
}
