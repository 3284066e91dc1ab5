/**
 * Admission control: refuse early instead of queueing late.
 *
 * <p>Two signals from the commit pipeline ({@link dev.tern.core.admission.Load}): its backlog, the
 * age of the oldest request that is queued, being written or waiting to be published (every durable
 * request passes through that one queue, so its age is the wait a new request would add to its ack
 * latency), and its rates: requests that write (admitted, or refused before entering) against requests it completes,
 * per window of 100 ms. A long queue alone is not overload: clients that send as acks come back keep
 * arrivals equal to completions whatever the queue. Arrivals beyond completions two windows in a row
 * are; then each {@link dev.tern.core.admission.Priority} is refused above its backlog threshold
 * with {@code OVERLOADED} and a {@code retry_after_ms} hint, lowest priority first. A backlog four
 * times a threshold refuses that priority in any case. A refusal is
 * decided before anything is numbered or queued, so a refused request changed nothing and may be
 * retried with the same client ids.
 *
 * <p>Invariants: {@link dev.tern.core.admission.Admission#admit} does no I/O and never waits (it
 * runs on event loops: the window's end is taken by whichever request sees it, with a tryLock); the
 * thresholds are ordered low ≤ normal ≤ high.
 */
package dev.tern.core.admission;
