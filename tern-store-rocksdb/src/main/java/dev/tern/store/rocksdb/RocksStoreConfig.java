package dev.tern.store.rocksdb;

import java.nio.file.Path;

/**
 * How to open a {@link RocksStore}.
 *
 * @param path             directory of the database; created when missing
 * @param blockCacheBytes  size of the one LRU block cache shared by all column families (index and
 *                         filter blocks are charged to it too, so this bounds read-side memory)
 * @param writeBufferBytes memtable budget across all column families; RocksDB flushes the largest
 *                         memtable when the total exceeds it
 * @param syncWrites       fsync the WAL before {@link RocksStore#write} returns. The port promises
 *                         durability, so only tests and benchmarks should turn this off.
 */
public record RocksStoreConfig(Path path, long blockCacheBytes, long writeBufferBytes, boolean syncWrites) {

    public static final long DEFAULT_BLOCK_CACHE_BYTES = 256L << 20;
    public static final long DEFAULT_WRITE_BUFFER_BYTES = 64L << 20;
    /** RocksDB silently raises smaller write buffers to 64 KiB; refuse them instead of surprising. */
    public static final long MIN_WRITE_BUFFER_BYTES = 64L << 10;
    /** Below this the cache cannot even hold the pinned index and filter blocks of a small database. */
    public static final long MIN_BLOCK_CACHE_BYTES = 1L << 20;

    public RocksStoreConfig {
        if (path == null) {
            throw new IllegalArgumentException("path must not be null");
        }
        if (blockCacheBytes < MIN_BLOCK_CACHE_BYTES) {
            throw new IllegalArgumentException(
                    "blockCacheBytes must be at least " + MIN_BLOCK_CACHE_BYTES + ", was " + blockCacheBytes);
        }
        if (writeBufferBytes < MIN_WRITE_BUFFER_BYTES) {
            throw new IllegalArgumentException(
                    "writeBufferBytes must be at least " + MIN_WRITE_BUFFER_BYTES + ", was " + writeBufferBytes);
        }
    }

    /** A durable configuration (syncWrites = true) with the given memory budgets. */
    public RocksStoreConfig(Path path, long blockCacheBytes, long writeBufferBytes) {
        this(path, blockCacheBytes, writeBufferBytes, true);
    }

    /** Durable defaults: 256 MiB block cache, 64 MiB of memtables. */
    public static RocksStoreConfig defaults(Path path) {
        return new RocksStoreConfig(path, DEFAULT_BLOCK_CACHE_BYTES, DEFAULT_WRITE_BUFFER_BYTES, true);
    }

    public RocksStoreConfig withSyncWrites(boolean sync) {
        return new RocksStoreConfig(path, blockCacheBytes, writeBufferBytes, sync);
    }
}
