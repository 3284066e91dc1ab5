/**
 * Messages as users see them: sends (text, data, media, replies, forwards, mentions), edits,
 * deletes for everyone and for me, reactions, pins, and how devices catch up (sync, history, the
 * change log of broadcast conversations).
 *
 * <p>Invariants: every operation takes the caller's principal and checks membership itself; a member
 * reads seq at or above its {@code joinedSeq}. A retried send (same device, same client message id)
 * returns the first ack and stores nothing new. Writes go through the ledger only.
 */
package dev.tern.core.message;
