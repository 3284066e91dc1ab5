/**
 * Presence (online / last seen) and typing notices: ephemeral, never in the update log.
 *
 * <p>Invariants: a user's presence is visible only to users who share a conversation with them;
 * to anyone else every user looks offline and never seen, so presence is no existence oracle.
 * Typing notices reach only the other members of the conversation and are rate limited per
 * device and conversation. Last-seen times are persisted best-effort (not acknowledged data).
 */
package dev.tern.core.presence;
