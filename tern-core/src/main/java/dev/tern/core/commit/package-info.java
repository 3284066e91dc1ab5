/**
 * Ordered group commit.
 *
 * <p>Lock order (see docs/operations.md): the sequencing lock is the outermost lock of the core;
 * code holding it takes no other core lock and does no network I/O. Under it a caller assigns
 * numbers and queues its batch; one committer thread merges queued batches into one store write
 * (one fsync) in queue order; one publisher thread then completes results and runs the
 * after-durable actions (pushes) in the same order. So acks and pushes follow durability, and
 * pushes to a device leave in pts order.
 *
 * <p>If a write fails, that batch and every batch queued behind it fail (they were prepared on
 * state that assumed the failed one), and in-memory state derived from them is dropped.
 */
package dev.tern.core.commit;
