/**
 * What every store must do, and a store to test the core with.
 *
 * <p>{@link dev.tern.store.testkit.StoreContractTest} runs the store contract (the *Contract
 * interfaces, one per theme) against a store; {@link dev.tern.store.testkit.BlobStoreContractTest}
 * does the same for blob stores. The contract speaks only through the port, so it states what the
 * core may rely on. A store that cannot keep a promise says so through
 * {@link dev.tern.store.testkit.StoreFixture#capabilities()}, and the tests that need it are
 * reported as skipped with the reason, never silently passed.
 *
 * <p>{@link dev.tern.store.testkit.MemoryStore} is the port in memory for fast unit tests. Invariants:
 * it passes the whole contract except what needs durability; it answers every method as the
 * embedded RocksDB store does (same orders, bounds, limits, refusals), because a test that passes
 * on it must mean the same on RocksDB; a batch is checked whole before any of it is applied, and
 * applied under one write lock, so no reader sees part of it.
 */
package dev.tern.store.testkit;
