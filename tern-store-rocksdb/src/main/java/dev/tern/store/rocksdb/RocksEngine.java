package dev.tern.store.rocksdb;

import dev.tern.core.store.StoreException;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The native side of a {@link RocksStore}: the database, its column family handles and every options
 * object they depend on. RocksJava objects wrap C++ memory that the GC never frees, and options must
 * outlive the database that uses them, so this class owns them all and releases them in reverse order
 * of creation exactly once.
 */
final class RocksEngine implements AutoCloseable {

    /** Key in the default column family holding the layout version of the whole database. */
    static final byte[] LAYOUT_KEY = "layout".getBytes(StandardCharsets.UTF_8);
    /**
     * Bumped when a key layout changes. A database with an older layout this build knows how to
     * upgrade is upgraded at open; any other is refused rather than misread. 2: the time indexes.
     */
    static final long LAYOUT_VERSION = 2;

    private static final Logger log = LoggerFactory.getLogger(RocksEngine.class);

    private static final int BLOOM_BITS_PER_KEY = 10;

    private final RocksDB db;
    private final ColumnFamilyHandle defaultFamily;
    private final EnumMap<Family, ColumnFamilyHandle> handles;
    private final WriteOptions writeOptions;
    private final WriteHealth health;
    /** Everything to release after the handles and the database, last created first. */
    private final Deque<AutoCloseable> owned;

    private RocksEngine(RocksDB db, ColumnFamilyHandle defaultFamily, EnumMap<Family, ColumnFamilyHandle> handles,
                        WriteOptions writeOptions, WriteHealth health, Deque<AutoCloseable> owned) {
        this.db = db;
        this.defaultFamily = defaultFamily;
        this.handles = handles;
        this.writeOptions = writeOptions;
        this.health = health;
        this.owned = owned;
    }

    static RocksEngine open(RocksStoreConfig config) {
        RocksDB.loadLibrary();
        String path = config.path().toAbsolutePath().toString();
        try {
            Files.createDirectories(config.path());
        } catch (IOException e) {
            throw new StoreException("cannot create store directory " + path + ": " + e.getMessage(), e);
        }
        Deque<AutoCloseable> owned = new ArrayDeque<>();
        try {
            checkNoUnknownFamilies(config, path);
            LRUCache cache = own(owned, new LRUCache(config.blockCacheBytes()));
            BloomFilter bloom = own(owned, new BloomFilter(BLOOM_BITS_PER_KEY, false));
            DBOptions dbOptions = own(owned, dbOptions(config));
            // RocksDB's reserve before it resumes writes after a full disk is the largest write buffer.
            WriteHealth health = own(owned, new WriteHealth(config.path().toAbsolutePath(), config.writeBufferBytes()));
            dbOptions.setListeners(List.of(health));
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY,
                    own(owned, familyOptions(config, Family.Access.POINT, cache, bloom))));
            for (Family f : Family.values()) {
                descriptors.add(new ColumnFamilyDescriptor(f.cfNameBytes(),
                        own(owned, familyOptions(config, f.access(), cache, bloom))));
            }
            WriteOptions writeOptions = own(owned, new WriteOptions().setSync(config.syncWrites()).setDisableWAL(false));
            List<ColumnFamilyHandle> handleList = new ArrayList<>();
            RocksDB db = RocksDB.open(dbOptions, path, descriptors, handleList);
            EnumMap<Family, ColumnFamilyHandle> handles = new EnumMap<>(Family.class);
            for (Family f : Family.values()) {
                handles.put(f, handleList.get(f.ordinal() + 1));
            }
            RocksEngine engine = new RocksEngine(db, handleList.get(0), handles, writeOptions, health, owned);
            try {
                engine.checkLayout(path);
            } catch (RuntimeException | RocksDBException e) {
                engine.closeQuietly();
                throw e;
            }
            return engine;
        } catch (RocksDBException e) {
            closeAll(owned);
            throw RocksAccess.failure("open " + path, e);
        } catch (RuntimeException e) {
            closeAll(owned);
            throw e;
        }
    }

    RocksDB db() {
        return db;
    }

    ColumnFamilyHandle handle(Family family) {
        return handles.get(family);
    }

    WriteOptions writeOptions() {
        return writeOptions;
    }

    WriteHealth health() {
        return health;
    }

    /** Syncs the WAL (so a clean close is durable even with syncWrites off), then frees everything. */
    @Override
    public void close() {
        RocksDBException failure = null;
        try {
            db.flushWal(true);
        } catch (RocksDBException e) {
            failure = e;
        }
        handles.values().forEach(ColumnFamilyHandle::close);
        defaultFamily.close();
        try {
            db.closeE();
        } catch (RocksDBException e) {
            failure = failure == null ? e : failure;
        }
        closeAll(owned);
        if (failure != null) {
            throw RocksAccess.failure("close", failure);
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException ignored) {
            // already failing with a better exception
        }
    }

    private static DBOptions dbOptions(RocksStoreConfig config) {
        int cpus = Runtime.getRuntime().availableProcessors();
        return new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                // WAL writes go straight to the OS on every write; durability then only needs the fsync.
                .setManualWalFlush(false)
                // One budget for all memtables; the largest is flushed when it is exceeded.
                .setDbWriteBufferSize(config.writeBufferBytes())
                // Bounds WAL size (and recovery time): CFs whose memtables pin old WAL files get flushed.
                .setMaxTotalWalSize(4 * config.writeBufferBytes())
                .setMaxBackgroundJobs(Math.max(2, Math.min(cpus, 8)))
                // Smooths background I/O instead of one big fsync per SST file.
                .setBytesPerSync(1L << 20)
                .setKeepLogFileNum(5)
                .setMaxLogFileSize(16L << 20);
    }

    private static ColumnFamilyOptions familyOptions(RocksStoreConfig config, Family.Access access, LRUCache cache,
                                                     BloomFilter bloom) {
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockCache(cache)
                // Index and filter blocks count against the cache, so memory stays within the budget;
                // pinning level-0 ones keeps the hottest from being evicted by a big scan.
                .setCacheIndexAndFilterBlocks(true)
                .setPinL0FilterAndIndexBlocksInCache(true);
        ColumnFamilyOptions options = new ColumnFamilyOptions()
                .setWriteBufferSize(config.writeBufferBytes())
                .setMaxWriteBufferNumber(3)
                .setLevelCompactionDynamicLevelBytes(true);
        switch (access) {
            case POINT -> {
                // Misses are common (free username? valid ticket? first send of this client id?);
                // a bloom filter answers most of them without touching a data block.
                table.setFilterPolicy(bloom).setBlockSize(4 << 10)
                        // Filters and indexes live with the table readers, outside the block cache:
                        // the committer probes the dedup family once per send, and a filter evicted
                        // by data blocks had to be read back whole for a single miss.
                        .setCacheIndexAndFilterBlocks(false);
                // Most of those probes miss: a whole-key bloom answers them without walking the memtables.
                options.setMemtablePrefixBloomSizeRatio(0.05).setMemtableWholeKeyFiltering(true);
                // Values are a few varint-packed bytes; decompressing a block per point read is wasted CPU.
                options.setCompressionType(CompressionType.NO_COMPRESSION);
            }
            case RANGE -> {
                table.setBlockSize(4 << 10);
                options.setCompressionType(CompressionType.LZ4_COMPRESSION);
            }
            case LOG -> {
                // Mostly scanned in runs; bigger blocks compress better and mean fewer index entries.
                table.setBlockSize(16 << 10);
                options.setCompressionType(CompressionType.LZ4_COMPRESSION);
            }
        }
        return options.setTableFormatConfig(table);
    }

    /**
     * RocksDB refuses to open a database without naming all its column families. A family this build
     * does not know was created by a newer layout: fail clearly instead of with RocksDB's message.
     */
    private static void checkNoUnknownFamilies(RocksStoreConfig config, String path) throws RocksDBException {
        if (!Files.exists(config.path().resolve("CURRENT"))) {
            return;
        }
        Set<String> known = new HashSet<>();
        known.add(new String(RocksDB.DEFAULT_COLUMN_FAMILY, StandardCharsets.UTF_8));
        Arrays.stream(Family.values()).forEach(f -> known.add(f.cfName()));
        try (Options options = new Options()) {
            for (byte[] name : RocksDB.listColumnFamilies(options, path)) {
                String cf = new String(name, StandardCharsets.UTF_8);
                if (!known.contains(cf)) {
                    throw new StoreException("store at " + path + " has unknown column family '" + cf
                            + "'; it was written by a newer version of Tern");
                }
            }
        }
    }

    /**
     * Stamps a new database with the layout version, upgrades a layout-1 database (written before the
     * time indexes existed) and refuses one stamped with another. The stamp is written only after the
     * upgrade is durable, so an upgrade cut short by a crash runs again, whole, at the next open.
     */
    private void checkLayout(String path) throws RocksDBException {
        byte[] stamp = db.get(defaultFamily, LAYOUT_KEY);
        if (stamp == null) {
            db.put(defaultFamily, writeOptions, LAYOUT_KEY, ValueCodec.number(LAYOUT_VERSION));
            return;
        }
        long layout = ValueCodec.number("default", stamp);
        if (layout == 1) {
            long started = System.nanoTime();
            long dedups = TimeIndex.build(this, TimeIndex.DEDUP);
            long tickets = TimeIndex.build(this, TimeIndex.TICKETS);
            db.put(defaultFamily, writeOptions, LAYOUT_KEY, ValueCodec.number(LAYOUT_VERSION));
            log.info("store at {} upgraded from key layout 1 to {}: indexed {} dedup records and {} tickets by time "
                    + "in {} ms", path, LAYOUT_VERSION, dedups, tickets, (System.nanoTime() - started) / 1_000_000);
            return;
        }
        if (layout != LAYOUT_VERSION) {
            throw new StoreException("store at " + path + " has key layout " + layout + "; this build reads "
                    + LAYOUT_VERSION);
        }
    }

    private static <T extends AutoCloseable> T own(Deque<AutoCloseable> owned, T resource) {
        owned.push(resource);
        return resource;
    }

    private static void closeAll(Deque<AutoCloseable> owned) {
        while (!owned.isEmpty()) {
            try {
                owned.pop().close();
            } catch (Exception ignored) {
                // native frees do not fail in practice; keep releasing the rest
            }
        }
    }
}
