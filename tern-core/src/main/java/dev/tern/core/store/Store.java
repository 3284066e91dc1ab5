package dev.tern.core.store;

import java.util.List;

/**
 * The storage port. Implementations: tern-store-rocksdb (embedded, durable) and tern-store-testkit's
 * {@code MemoryStore} (in memory, for fast tests). All methods may block; the core
 * calls them from virtual threads or its commit thread, never from an event loop.
 *
 * <p>The write side ({@link #write}) belongs to the write kernel ({@code dev.tern.core.ledger}) alone;
 * features read through {@link StoreReads}.
 */
public interface Store extends StoreReads, AutoCloseable {

    /** Applies the batch atomically and durably (fsync before return). Throws {@link StoreException} on failure. */
    void write(List<Mutation> batch);

    /**
     * False while the store knows it refuses writes (a full disk it waits to recover from, an I/O
     * error); readiness reports it. Stores that cannot tell answer true.
     */
    default boolean writable() {
        return true;
    }

    /**
     * An online backup: a consistent copy of everything written before the call into {@code target}
     * (a directory that must not exist yet; its parent must), taken while writes go on. The copy can
     * be opened as the data of a new node. Stores that cannot do this throw {@link StoreException}.
     */
    default void backup(java.nio.file.Path target) {
        throw new StoreException("this store does not support online backups; use the engine's own tools");
    }

    @Override
    void close();
}
