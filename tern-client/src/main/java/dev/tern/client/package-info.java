/**
 * Tern's Java client SDK.
 *
 * <p>Guarantees to the application: every update of the user's log reaches the listener once
 * and in pts order (pushes are checked against the cursor; a gap triggers a sync); a message
 * passed to {@link dev.tern.client.TernClient#send} is retried under the same client message id
 * until the server acknowledges it or refuses it for good, across reconnects, so it is stored
 * exactly once, and in the order sent unless the store failed to write one (the ones behind it may
 * then overtake it). Retries wait at least the server's retry hint; SLOW_MODE, though retryable,
 * is handed to the application, as its wait is the group's rule. The outbox paces a burst as
 * docs/protocol.md section 3 ("Pace, do not resend the backlog") describes: up to 8 sends in flight
 * while nothing is refused; after a refusal for load or pace, one at a time, spaced by a gap learnt
 * from the hints, until the outbox is empty. So 200 sends at once under the default limit of 20 per
 * second take about the 9 s the limit allows, with about one transmission per message. After a
 * dropped connection the client reconnects with backoff, resumes its ticket and syncs from its
 * cursor. Unless {@link dev.tern.client.ClientOptions#withDeliveryReceipts} turns it off, the
 * client reports delivery of other users' messages it hands the listener ({@code markDelivered},
 * coalesced per conversation), so their senders see them delivered.
 *
 * <p>The parts, each in its own file: {@link dev.tern.client.TernClient} is the public API (the
 * session calls and the message requests) and feeds the device's own log entries (send acks, Oks
 * with a pts) to the cursor; {@code TernRequests}, which only the client extends, holds the rest of
 * its requests (groups, people, channels, dialogs, search); {@code Connection} owns the connection
 * lifecycle (hello, heartbeat, pushes, reconnect with backoff, resume with the ticket) and the session
 * state a reconnect needs; {@code Cursor} orders updates and syncs gaps on the one thread that runs the
 * listener; {@code Outbox} paces and retries sends; {@code DeliveryReceipts} sends delivered markers;
 * {@code Wire} is one WebSocket; {@link dev.tern.client.TernMedia} is the HTTP file API. Otherwise the client
 * composes them: none extends another.
 *
 * <p>The retry logic takes its time and delayed work from a {@code Scheduler} ({@code Backoff} computes
 * the jittered waits), and the outbox sees the connection only as "may I transmit" and "transmit
 * this": the seams through which the unit tests drive it by hand, without a server or a clock.
 */
package dev.tern.client;
