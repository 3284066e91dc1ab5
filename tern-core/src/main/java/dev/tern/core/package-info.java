/**
 * Tern's domain, free of transport and storage technology.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Every operation that reads or writes a conversation takes the caller's
 *       {@link dev.tern.core.auth.Principal} and checks membership and role itself; there is no
 *       entry point that bypasses it.</li>
 *   <li>Every durable change goes through {@link dev.tern.core.ledger.CommitPipeline}: numbers
 *       (seq, pts, ids) are assigned and the batch is queued in one critical section, and batches
 *       are written in queue order, so no reader sees number N before a smaller number that will
 *       still become visible.</li>
 *   <li>A result is returned (and an ack sent) only after its batch is durable.</li>
 *   <li>Failures are {@link dev.tern.core.Failure} values carrying a stable wire
 *       {@link dev.tern.protocol.v1.ErrorCode}; the gateway maps them to error frames.</li>
 * </ul>
 * The core speaks the wire schema's value types (Message, Update, ConversationInfo) for results
 * and pushes, so a pushed frame is built once; it never sees framing or sockets.
 */
package dev.tern.core;
