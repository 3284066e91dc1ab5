/**
 * Conversations and messages: direct chats, groups, sends, sync, history, read markers.
 *
 * <p>Invariants: membership and role are checked under the sequencing lock in the same critical
 * section that assigns the seq, so a message is logged exactly to the members of the moment it was
 * ordered. A member reads seq at or above its {@code joinedSeq}. Read markers only rise. A retried
 * send (same device, same client message id) returns the first ack and stores nothing new.
 */
package dev.tern.core.chat;
