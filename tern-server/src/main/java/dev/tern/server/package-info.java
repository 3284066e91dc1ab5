/**
 * The server process: configuration (one properties file plus TERN_* environment overrides,
 * validated before anything starts), wiring by plain constructors, start and orderly stop.
 *
 * <p>Invariants: a configuration error stops the process before it opens the store or a port,
 * naming the key and what is allowed; shutdown stops accepting, says goodbye to clients, drains
 * queued writes, and only then closes the store.
 */
package dev.tern.server;
