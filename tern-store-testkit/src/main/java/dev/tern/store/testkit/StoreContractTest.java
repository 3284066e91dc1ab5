package dev.tern.store.testkit;

import dev.tern.core.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * The contract every {@link Store} implementation must pass. Extend it, implement
 * {@link #openStore(Path)}, and JUnit runs all the tests of the contract interfaces against a fresh
 * store in a temporary directory. The tests use the port only, so they say what the core may rely on
 * and nothing about how a store keeps its data. A store that cannot keep a promise overrides
 * {@link #capabilities()} (the in-memory store is not {@link StoreFixture.Capability#DURABLE}).
 *
 * <p>The contract is split by theme into {@link RecordContract} (round trips of every record type),
 * {@link LogContract} (messages, update logs and the small per-user values), {@link RangeContract}
 * (ordering, paging, bounds and isolation of range reads), {@link LifecycleContract} (durability,
 * atomicity, concurrency and close), {@link SearchContract}, {@link MediaContract} and
 * {@link ExpiryContract} (the records that expire, read by time).
 */
public abstract class StoreContractTest implements RecordContract, LogContract, RangeContract, LifecycleContract,
        SearchContract, MediaContract, ExpiryContract {

    @TempDir
    protected Path dir;

    private Store store;

    /**
     * Opens a store on {@code dir}, creating it when empty. Called again on the same directory after
     * {@link Store#close()} to test durability, so it must not wipe what is there.
     */
    protected abstract Store openStore(Path dir);

    @BeforeEach
    void openStoreUnderTest() {
        store = openStore(dir);
    }

    @AfterEach
    void closeStoreUnderTest() {
        if (store != null) {
            store.close();
        }
    }

    @Override
    public Store store() {
        return store;
    }

    @Override
    public Store reopen() {
        if (!can(Capability.DURABLE)) {
            throw new IllegalStateException("reopen() of a store that is not DURABLE: guard the test with can()");
        }
        store.close();
        store = null;
        store = openStore(dir);
        return store;
    }
}
