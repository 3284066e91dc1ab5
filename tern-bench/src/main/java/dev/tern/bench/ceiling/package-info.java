/**
 * Ceilings: what the machine can do with Tern's framing and load shape but none of Tern's logic,
 * measured in the same run as Tern so that a figure always comes with its upper bound.
 * <ul>
 *   <li>{@link dev.tern.bench.ceiling.RelayServer} {@code --mode bare}: WebSocket relay on /ws
 *       handling a subset of the protocol on the event loops, no storage; group messages are fanned
 *       out as one pre-encoded frame shared by all recipients.</li>
 *   <li>{@link dev.tern.bench.ceiling.RelayServer} {@code --mode durable}: the same, plus every
 *       message group-committed to RocksDB with a synced WAL write before its ack and pushes.</li>
 *   <li>{@link dev.tern.bench.ceiling.FsyncProbe}: append + fdatasync rate of a directory's disk,
 *       the bound on any durable commit rate divided by batch size.</li>
 * </ul>
 *
 * <p>Invariants of the relay:
 * <ul>
 *   <li>Every connection receives the pts of its user, and the seqs of a conversation, in increasing
 *       order: they are issued and handed to the connection's outbox under the same monitors (bare)
 *       or by the single commit thread in issue order (durable). Direct pushes carry
 *       {@code prev_pts} chaining to the previous frame; group pushes carry pts 0 and do not enter
 *       recipients' logs, since one shared encoding cannot hold per-recipient pts.</li>
 *   <li>Durable mode never acks or pushes a message before the WriteBatch holding it was written
 *       with sync; a failed write answers STORAGE_UNAVAILABLE and pushes nothing.</li>
 *   <li>Bare mode runs on the event loops only; durable mode adds exactly one thread.</li>
 *   <li>The relay validates almost nothing (no passwords, no limits, no slow-reader policy): it is an
 *       upper bound, never a reference implementation of Tern's semantics.</li>
 * </ul>
 */
package dev.tern.bench.ceiling;
