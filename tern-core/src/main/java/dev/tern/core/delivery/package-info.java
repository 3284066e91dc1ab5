/**
 * Online delivery: which devices of which users are connected to this node, and handing them
 * pushes. Push is a fast path only; the update log is the truth, so a push that cannot be
 * delivered (slow reader, disconnect) is dropped and the device catches up by sync.
 *
 * <p>{@link dev.tern.core.delivery.Sink#push} never blocks; it is called from the publisher thread
 * and from request threads.
 */
package dev.tern.core.delivery;
