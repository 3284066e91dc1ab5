/**
 * Conversations and messages: direct chats, groups, sends, sync, history, read and delivered markers.
 *
 * <p>Invariants: membership and role are checked under the sequencing lock in the same critical
 * section that assigns the seq, so a message is logged exactly to the members of the moment it was
 * ordered. A member reads seq at or above its {@code joinedSeq}. Read and delivered markers only rise, and a user's
 * delivered marker as the core reads it is never below their read marker. Delivered markers make no
 * update-log entries (their pushes carry pts 0). A retried
 * send (same device, same client message id) returns the first ack and stores nothing new.
 */
package dev.tern.core.chat;
