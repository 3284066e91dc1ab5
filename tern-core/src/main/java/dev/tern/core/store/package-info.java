/**
 * The storage port: what the core needs from a store, and nothing about how a store keeps it.
 *
 * <p>Invariants every implementation keeps (tern-store-testkit checks them):
 * <ul>
 *   <li>{@link dev.tern.core.store.Store#write} is atomic and durable: when it returns, every
 *       mutation of the batch survives a crash or power cut; when it throws, none is visible.</li>
 *   <li>A mutation that is a record is an upsert of that record under its key; each {@code Delete*}
 *       mutation removes what its key names ({@code DeleteMember} both index entries of a
 *       membership, {@code DeleteSearchBacklog} a prefix of the backlog), and deleting what is not
 *       there is no error. Mutations of a batch apply in list order. Applying a batch twice gives the
 *       same state.</li>
 *   <li>Records that expire (dedup records by {@code tsMs}, tickets by {@code expiresAtMs}) are
 *       indexed by time in the same atomic write as the record: an upsert that changes the time
 *       moves the entry, a delete removes it, so a sweep reads only what is due.</li>
 *   <li>Range reads return records in key order (seq, pts) and never a partially applied batch.</li>
 *   <li>Usernames are stored in canonical (lower-case) form; lookups take canonical names.</li>
 * </ul>
 * The in-memory store of the testkit keeps every invariant but the one that needs a disk: its data
 * ends with the process. The store never decides anything: ordering, sequencing and authorization
 * live in the core.
 */
package dev.tern.core.store;
