package dev.tern.store.rocksdb;

import dev.tern.core.store.Store;
import dev.tern.store.testkit.StoreContractTest;

import java.nio.file.Path;

/** The full store contract against RocksDB, durable (synced) writes as in production, small memory budgets. */
class RocksStoreContractTest extends StoreContractTest {

    @Override
    protected Store openStore(Path dir) {
        return RocksStore.open(new RocksStoreConfig(dir, 8L << 20, 1L << 20));
    }
}
