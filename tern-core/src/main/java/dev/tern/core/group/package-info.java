/**
 * Groups and channels: creation (idempotent by client id), members and roles, settings (title,
 * description, admins-only posting, slow mode), bans, invite links, public channel names.
 *
 * <p>Invariants: role checks are made against the conversation state under the sequencing lock in the
 * change that depends on them; every membership change is a service message in the timeline, so
 * members see it in seq order. A conversation never has more members than its kind allows. Writes go
 * through the ledger only.
 */
package dev.tern.core.group;
