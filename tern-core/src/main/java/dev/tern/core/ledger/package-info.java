/**
 * The write kernel: the only code that orders, numbers and commits. Features hand it a change
 * ("append this message with these effects", "apply this change") through {@link
 * dev.tern.core.ledger.Ledger} and get a future back; they never hold the store's write side, the
 * commit pipeline or a sequencer.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Ordering: a change is prepared under the sequencing lock (the outermost lock of the core;
 *       code holding it takes no other core lock and does no network I/O). Under it numbers (seq,
 *       pts, ids) are assigned and the batch is queued; one committer thread merges queued batches
 *       into one store write (one fsync) in queue order; one publisher thread then completes results
 *       and runs the after-durable actions (pushes) in the same order. So acks and pushes follow
 *       durability, and no reader sees number N while a smaller number that will become visible is
 *       still in flight.</li>
 *   <li>Sequencers in the style of WeChat's seqsvr: the current value of each sequence lives in
 *       memory; the store keeps an upper bound raised in steps. A raise travels in the same atomic
 *       batch as the first number above the old bound, so after a crash every durable number is at or
 *       below the persisted bound and the sequence resumes above it: numbers may jump, never repeat
 *       or go back.</li>
 *   <li>If a write fails, that batch and every batch queued behind it fail (they were prepared on
 *       state that assumed the failed one), and in-memory state derived from them is dropped.</li>
 *   <li>Membership and role are read under the sequencing lock in the same critical section that
 *       assigns the seq, so a message is logged exactly to the members of the moment it was
 *       ordered.</li>
 *   <li>De-duplication: a retried request (same device, same client id) returns the first outcome
 *       and stores nothing new, for as long as its dedup record lives ({@link
 *       dev.tern.core.ledger.Dedup}); records older than the configured window are swept.</li>
 * </ul>
 * Nothing in {@link dev.tern.core.ledger.Ledger}'s contract assumes one process: every change
 * names the partition it orders (a conversation, a user's log, or a global id space), so an
 * owner-routed implementation can run it where that partition lives.
 */
package dev.tern.core.ledger;
