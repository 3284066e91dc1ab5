/**
 * The storage port: what the core needs from a store, and nothing about how a store keeps it.
 *
 * <p>Invariants every implementation keeps (tern-store-testkit checks them):
 * <ul>
 *   <li>{@link dev.tern.core.store.Store#write} is atomic and durable: when it returns, every
 *       mutation of the batch survives a crash or power cut; when it throws, none is visible.</li>
 *   <li>A mutation that is a record is an upsert of that record under its key; the two delete
 *       mutations remove one key. Applying a batch twice gives the same state.</li>
 *   <li>Range reads return records in key order (seq, pts) and never a partially applied batch.</li>
 *   <li>Usernames are stored in canonical (lower-case) form; lookups take canonical names.</li>
 * </ul>
 * The store never decides anything: ordering, sequencing and authorization live in the core.
 */
package dev.tern.core.store;
