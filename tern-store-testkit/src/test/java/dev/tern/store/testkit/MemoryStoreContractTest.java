package dev.tern.store.testkit;

import dev.tern.core.store.Store;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * The full store contract against {@link MemoryStore}, the same suite RocksStoreContractTest runs. It
 * is not {@link StoreFixture.Capability#DURABLE}: the tests about what a restart keeps are skipped with
 * that reason, and the rest of each test that also restarts still runs.
 */
class MemoryStoreContractTest extends StoreContractTest {

    @Override
    protected Store openStore(Path dir) {
        return new MemoryStore();
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.noneOf(Capability.class);
    }
}
