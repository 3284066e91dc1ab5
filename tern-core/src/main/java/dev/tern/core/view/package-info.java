/**
 * The plain values the core hands to the edge: what an operation produced (its result) and what
 * a device is told without asking (a {@link dev.tern.core.view.Push}). The gateway turns them into
 * wire frames in one place ({@code dev.tern.gateway.wire}); nothing in the core builds a frame.
 *
 * <p>Invariants: values are immutable records (a {@link dev.tern.core.view.MessageView} wraps a
 * stored record, whose arrays are never mutated), so one value can be handed to many connections
 * on many threads; this package depends only on the store's records (and protobuf's runtime, for
 * the stored encoding of {@link dev.tern.core.view.ServiceEvent}).
 */
package dev.tern.core.view;
