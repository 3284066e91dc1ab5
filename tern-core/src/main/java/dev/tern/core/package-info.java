/**
 * Tern's domain, free of transport and storage technology. This root package holds only what every
 * part of the core shares: {@link dev.tern.core.Failure} (a refusal with a stable
 * {@link dev.tern.core.ErrorCode}),
 * {@link dev.tern.core.Await} and {@link dev.tern.core.CoreConfig}; it depends on no sub-package.
 *
 * <p>Invariants, kept by the packages below and checked by ArchitectureTest:
 * <ul>
 *   <li>Every operation that reads or writes a conversation takes the caller's
 *       {@link dev.tern.core.Principal} and checks membership and role itself; there is no
 *       entry point that bypasses it.</li>
 *   <li>Every durable change goes through the write kernel ({@link dev.tern.core.ledger.Ledger});
 *       features read through {@link dev.tern.core.store.StoreReads} and never hold the store's write
 *       side, the commit pipeline or a sequencer.</li>
 *   <li>A result is returned (and an ack sent) only after its batch is durable.</li>
 *   <li>Failures are {@link dev.tern.core.Failure} values carrying a stable
 *       {@link dev.tern.core.ErrorCode} (named as the wire's codes); the gateway maps them to error
 *       frames.</li>
 *   <li>Layers: features (message, group, inbox, people, media, search, presence) use auth, which
 *       uses delivery, which uses the ledger, which uses the leaves (store, blob, admission, limits,
 *       view);
 *       no package cycles; {@code node} wires them all and nothing depends on it.</li>
 * </ul>
 * The core knows nothing of the wire: it takes plain arguments and returns and pushes its own values
 * ({@link dev.tern.core.view}); the gateway maps them to frames in one place. It never sees
 * framing or sockets.
 */
package dev.tern.core;
