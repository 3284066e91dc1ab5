/**
 * Per-key rate limits that protect the server and its users from floods and brute force: sends
 * per device and per user, failed logins per username, login attempts and registrations per
 * network address, groups created per user. Token buckets (Bucket4j, greedy refill), one per key,
 * created on first use.
 *
 * <p>Invariants: a refusal is a {@link dev.tern.core.Failure} with the limit's own retryable error
 * code and a {@code retry_after_ms} hint, raised before anything is numbered or stored, so a
 * refused request changed nothing. A bucket that has refilled completely is indistinguishable
 * from a new one, so a sweep drops it: memory follows the keys active within one period, not
 * every key ever seen. A rate of zero permits means "no limit" and costs nothing per call.
 */
package dev.tern.core.limits;
