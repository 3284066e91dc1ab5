package dev.tern.store.rocksdb;

import dev.tern.core.store.DedupRecord;
import dev.tern.core.store.StoreException;
import dev.tern.core.store.TicketRecord;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The indexes by time of the records that expire: {@code dedup_by_time} (dedup records by tsMs) and
 * {@code tickets_by_expiry} (tickets by expiresAtMs). An index key is the record's time (sign bit
 * flipped, see {@link Keys#timeAnd}) followed by the record's own key, so a sweep is one bounded scan
 * that reads only what is due, whatever else is stored.
 *
 * <p>Invariant: every record has an entry at its current time; there may be more entries (stale:
 * their record now has another time, or is gone). An upsert writes the record and its entry blind,
 * in one WriteBatch, with no read and no lock: every send writes a dedup record, and a read per send
 * on the committer's path would cost more than the index saves. The entry at the record's old time
 * is left behind; {@link #due} checks each entry against its record, so a stale one is never
 * returned, and deletes the stale ones it passes over, so the garbage is bounded by what changed
 * time since the last sweep and no sweep page is ever made of stale entries twice.
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

    /**
     * Index keys read per iterator in {@link #due}, at least: keys alone are cheap to read, and a run
     * of stale entries is then deleted in a few writes rather than one write per requested record.
     */
    static final int SCAN_PAGE = 256;

    private final RocksEngine engine;
    private final RocksAccess db;

    TimeIndex(RocksEngine engine, RocksAccess db) {
        this.engine = engine;
        this.db = db;
    }

    static DedupRecord dedup(byte[] key, byte[] value) {
        String clientMsgId = new String(key, Keys.LONG, key.length - Keys.LONG, StandardCharsets.UTF_8);
        return ValueCodec.dedup(Keys.longAt(key, 0), clientMsgId, value);
    }

    /** The index upkeep of one new WriteBatch. */
    Batch batch() {
        return new Batch();
    }

    /**
     * One batch's index upkeep. It remembers the entries the batch's earlier mutations wrote (memory
     * only), so a later mutation of the same key in the batch replaces them instead of leaving one.
     */
    final class Batch {
        /** Record key -> time of the entry this batch wrote for it, per index. */
        private final Map<Family, Map<ByteBuffer, Long>> written = new EnumMap<>(Family.class);

        private Batch() {
        }

        /** An upsert: the entry at {@code time}, written blind (the stored record is not read). */
        <T> void put(WriteBatch wb, Index<T> index, byte[] key, long time) throws RocksDBException {
            Long earlier = written(index).put(ByteBuffer.wrap(key), time);
            if (earlier != null && earlier != time) {
                wb.delete(engine.handle(index.byTime()), Keys.timeAnd(earlier, key));
            }
            wb.put(engine.handle(index.byTime()), Keys.timeAnd(time, key), BatchEncoder.PRESENCE);
        }

        /**
         * A delete: removes the entries of the stored record and of this batch's earlier upserts. The
         * index is ordered by time, so the stored record is read for its time: the other way, a scan
         * of the index for the key, costs what the whole index holds. Deletes are rare and off the
         * send path (the sweep writes them, for records it has just read, so the read is served from
         * the block cache). No lock: a batch that rewrites the key between this read and this write
         * leaves its own entry behind with no record, a stale entry the next sweep removes; a record
         * never loses its entry, because this batch deletes the record with it.
         */
        <T> void delete(WriteBatch wb, Index<T> index, byte[] key) throws RocksDBException {
            Long earlier = written(index).remove(ByteBuffer.wrap(key));
            if (earlier != null) {
                wb.delete(engine.handle(index.byTime()), Keys.timeAnd(earlier, key));
            }
            Long stored = stored(index, key);
            if (stored != null && !stored.equals(earlier)) {
                wb.delete(engine.handle(index.byTime()), Keys.timeAnd(stored, key));
            }
        }

        private Map<ByteBuffer, Long> written(Index<?> index) {
            return written.computeIfAbsent(index.byTime(), f -> new HashMap<>());
        }
    }

    /** The stored record's time; null when there is none. */
    private <T> Long stored(Index<T> index, byte[] key) throws RocksDBException {
        byte[] value = db.get(index.records(), key);
        return value == null ? null : index.time().applyAsLong(index.decoder().decode(key, value));
    }

    /**
     * Records of {@code index} with a time below {@code before}, oldest first, at most {@code limit}.
     * Each entry is checked against its record; one whose record is gone or has another time is not
     * returned, the scan goes on past it (so a page holds {@code limit} records whenever that many are
     * due), and it is deleted (see {@link #clean}).
     */
    <T> List<T> due(Index<T> index, long before, int limit) throws RocksDBException {
        RocksAccess.checkLimit(limit);
        List<T> out = new ArrayList<>();
        if (limit == 0 || before == Long.MIN_VALUE) {
            return out;
        }
        byte[] from = Keys.timeAnd(Long.MIN_VALUE, new byte[0]);
        byte[] upper = Keys.timeAnd(before, new byte[0]);
        boolean more = true;
        while (more && out.size() < limit) {
            int page = Math.max(limit - out.size(), SCAN_PAGE);
            List<byte[]> entries = db.forward(index.byTime(), from, upper, page, (k, v) -> k);
            more = entries.size() == page;
            List<byte[]> stale = new ArrayList<>();
            for (byte[] entry : entries) {
                if (out.size() == limit) {
                    more = false;
                    break;
                }
                byte[] key = Arrays.copyOfRange(entry, Keys.LONG, entry.length);
                byte[] value = db.get(index.records(), key);
                T record = value == null ? null : index.decoder().decode(key, value);
                if (record != null && index.time().applyAsLong(record) == Keys.timeAt(entry)) {
                    out.add(record);
                } else {
                    stale.add(entry);
                }
                from = Arrays.copyOf(entry, entry.length + 1); // the smallest key after this one
            }
            clean(index, stale);
        }
        return out;
    }

    /**
     * Deletes entries found stale, then puts back any whose record has meanwhile been rewritten at
     * exactly that entry's time: such an upsert, landing between {@link #due}'s check and the delete,
     * would otherwise lose its entry to it, since the delete cannot be made conditional without a
     * lock on the upsert path. The second read comes after the delete, so a rewrite it misses came
     * later and wrote its own entry; a put back that turns out stale is removed by a later sweep.
     * Only a crash between the two writes, in that very race, can leave a record without an entry:
     * it is then never listed, so it is kept, as every record was before layout 2. Package-private
     * for the test that plays the race.
     */
    <T> void clean(Index<T> index, List<byte[]> stale) throws RocksDBException {
        // While writes are refused (a full disk) the reads go on: the stale entries wait for a later sweep.
        if (stale.isEmpty() || engine.health().stopped()) {
            return;
        }
        try (WriteBatch deletes = new WriteBatch(); WriteBatch putBacks = new WriteBatch()) {
            for (byte[] entry : stale) {
                deletes.delete(engine.handle(index.byTime()), entry);
            }
            if (!write(deletes)) {
                return; // nothing was deleted, so nothing needs putting back
            }
            for (byte[] entry : stale) {
                Long now = stored(index, Arrays.copyOfRange(entry, Keys.LONG, entry.length));
                if (now != null && now == Keys.timeAt(entry)) {
                    putBacks.put(engine.handle(index.byTime()), entry, BatchEncoder.PRESENCE);
                }
            }
            if (putBacks.count() > 0 && !write(putBacks)) {
                throw new StoreException("could not put back the time index entries of records rewritten during"
                        + " a sweep; writes are refused");
            }
        }
    }

    /**
     * A write of the index's own upkeep, counted in the store's write health like any other. False
     * when the store has stopped taking writes (a full disk, an I/O error; WriteHealth logs it): the
     * sweep's read is still answered. Any other failure is thrown.
     */
    private boolean write(WriteBatch wb) throws RocksDBException {
        try {
            engine.db().write(engine.writeOptions(), wb);
            engine.health().succeeded();
            return true;
        } catch (RocksDBException e) {
            if (engine.health().failed(e) == null) {
                throw e;
            }
            return false;
        }
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
