/**
 * The inbox: dialogs (the conversation list with previews, unread and mention counts, mute, archive,
 * pin, drafts) and read and delivered markers.
 *
 * <p>Invariants: read and delivered markers only rise, and a user's delivered marker as the core reads
 * it is never below their read marker. Delivered markers make no update-log entries (their pushes
 * carry pts 0). Writes go through the ledger only.
 */
package dev.tern.core.inbox;
