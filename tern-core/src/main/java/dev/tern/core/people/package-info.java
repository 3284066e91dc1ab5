/**
 * People: contacts, blocking, and privacy settings (last seen, read receipts).
 *
 * <p>Invariants: a blocked user cannot message the blocker; neither sees the other's presence or typing.
 * Lists are loaded whole per user and cached; changes are written through the ledger only.
 */
package dev.tern.core.people;
