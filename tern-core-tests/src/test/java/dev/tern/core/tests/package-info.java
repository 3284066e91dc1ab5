/**
 * Unit tests of the core (tern-core) that need a store: the write kernel ({@code dev.tern.core.ledger})
 * and the features built on it, run against the in-memory {@code MemoryStore} of tern-store-testkit.
 * They live in a module of their own because the testkit depends on tern-core, so tern-core's own
 * tests cannot use it.
 *
 * <p>Every test wires a fresh core with {@link dev.tern.core.tests.CoreFixture} (plain constructors,
 * as {@code node.Core} does), a {@link dev.tern.core.tests.MutableClock} that moves only when told
 * (edit windows, slow mode, dedup expiry) and a {@link dev.tern.core.tests.RecordingFanout} that
 * records pushes per user in place of sessions. {@link dev.tern.core.tests.Gate} holds the committer
 * before a write so a test can queue changes behind it or fail the store under it. No sockets, no
 * disk, no sleeps: the whole module runs in seconds.
 *
 * <p>Like the core, the module does not depend on tern-protocol: requests are the core's own inputs
 * (built with {@link dev.tern.core.tests.OutgoingBuilder} for sends), assertions read its view values
 * ({@link dev.tern.core.tests.Views}), and stored protobuf bodies (service events, media) are read
 * field by field with {@link dev.tern.core.tests.ProtoFields}.
 */
package dev.tern.core.tests;
