package dev.tern.store.rocksdb;

import dev.tern.core.store.StoreException;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Status;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * How the store's methods reach RocksDB: every call runs under {@link #guarded}, which holds the
 * lifecycle lock shared, so {@link #close()} (exclusive) waits for calls in flight, because freeing
 * the native database under a running call would crash the JVM rather than throw; RocksDB errors
 * become {@link StoreException}s there. Point reads and bounded iteration over one family are here
 * too, so the readers of each family need nothing but this.
 */
final class RocksAccess {

    private final RocksEngine engine;
    /** Shared by every call, exclusive for close: the native objects live while anyone holds it. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    /** Written under the write lock, read under the read lock, which orders the accesses. */
    private boolean closed;

    RocksAccess(RocksEngine engine) {
        this.engine = engine;
    }

    /** Idempotent. Waits for calls in flight, then frees the engine; afterwards guarded() throws "store is closed". */
    void close() {
        Lock lock = lifecycle.writeLock();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            engine.close();
        } finally {
            lock.unlock();
        }
    }

    static StoreException failure(String operation, RocksDBException e) {
        Status status = e.getStatus();
        String message = e.getMessage() != null ? e.getMessage() : String.valueOf(status);
        if (status != null && status.getSubCode() == Status.SubCode.NoSpace) {
            return new StoreException(operation + " failed, disk full: " + message, e);
        }
        return new StoreException(operation + " failed: " + message, e);
    }

    // ---- reads; all run inside guarded(), so the engine is open

    byte[] get(Family family, byte[] key) throws RocksDBException {
        return engine.db().get(engine.handle(family), key);
    }

    long number(Family family, byte[] key) throws RocksDBException {
        byte[] v = get(family, key);
        return v == null ? 0 : ValueCodec.number(family.cfName(), v);
    }

    /** The second key long of the last entry under {@code id}: the highest seq or pts, 0 if none. */
    long lastSecondLong(Family family, long id) throws RocksDBException {
        byte[] prefix = Keys.id(id);
        List<Long> last = backward(family, prefix, Keys.successor(prefix), Keys.pair(id, Long.MAX_VALUE), 1,
                (k, v) -> Keys.longAt(k, Keys.LONG));
        return last.isEmpty() ? 0 : last.getFirst();
    }

    /** Entries in [lower, upper) from the start, ascending. A null upper means unbounded. */
    <T> List<T> forward(Family family, byte[] lower, byte[] upper, int limit, Row<T> row)
            throws RocksDBException {
        return walk(family, lower, upper, lower, false, limit, row);
    }

    /**
     * Entries in [lower, upper) from {@code last} (inclusive) down, descending. seekForPrev lands on
     * the greatest key at or below {@code last}; the bounds keep the walk inside the prefix.
     */
    <T> List<T> backward(Family family, byte[] lower, byte[] upper, byte[] last, int limit, Row<T> row)
            throws RocksDBException {
        return walk(family, lower, upper, last, true, limit, row);
    }

    private <T> List<T> walk(Family family, byte[] lower, byte[] upper, byte[] start, boolean down, int limit,
                             Row<T> row) throws RocksDBException {
        List<T> out = new ArrayList<>(Math.min(limit, 64));
        try (Slice lo = new Slice(lower);
             Slice hi = upper == null ? null : new Slice(upper);
             ReadOptions options = bounded(lo, hi);
             RocksIterator it = engine.db().newIterator(engine.handle(family), options)) {
            if (down) {
                it.seekForPrev(start);
            } else {
                it.seek(start);
            }
            while (it.isValid() && out.size() < limit) {
                out.add(row.decode(it.key(), it.value()));
                if (down) {
                    it.prev();
                } else {
                    it.next();
                }
            }
            it.status(); // an invalid iterator means "end" or "I/O error"; this tells them apart
        }
        return out;
    }

    private static ReadOptions bounded(Slice lower, Slice upper) {
        ReadOptions options = new ReadOptions().setIterateLowerBound(lower);
        return upper == null ? options : options.setIterateUpperBound(upper);
    }

    static void checkLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, was " + limit);
        }
    }

    <T> T guarded(String operation, RocksCall<T> call) {
        Lock lock = lifecycle.readLock();
        lock.lock();
        try {
            if (closed) {
                throw new StoreException("store is closed");
            }
            return call.run();
        } catch (RocksDBException e) {
            throw failure(operation, e);
        } finally {
            lock.unlock();
        }
    }

    @FunctionalInterface
    interface RocksCall<T> {
        T run() throws RocksDBException;
    }

    @FunctionalInterface
    interface Row<T> {
        T decode(byte[] key, byte[] value);
    }
}
