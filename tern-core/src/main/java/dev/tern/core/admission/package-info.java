/**
 * Admission control: refuse early instead of queueing late.
 *
 * <p>The signal is the commit pipeline's backlog: the age of the oldest request that is queued,
 * being written or waiting to be published. Every durable request passes through that one queue,
 * so its age is the wait a new request would add to its ack latency. Each request has a
 * {@link dev.tern.core.admission.Priority}; each priority has a backlog above which it is refused
 * with {@code OVERLOADED} and a {@code retry_after_ms} hint, lowest priority first. A refusal is
 * decided before anything is numbered or queued, so a refused request changed nothing and may be
 * retried with the same client ids.
 *
 * <p>Invariants: {@link dev.tern.core.admission.Admission#admit} takes no lock and does no I/O (it
 * runs on event loops); the thresholds are ordered low ≤ normal ≤ high.
 */
package dev.tern.core.admission;
