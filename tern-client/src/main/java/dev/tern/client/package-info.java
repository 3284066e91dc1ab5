/**
 * Tern's Java client SDK.
 *
 * <p>Guarantees to the application: every update of the user's log reaches the listener once
 * and in pts order (pushes are checked against the cursor; a gap triggers a sync); a message
 * passed to {@link dev.tern.client.TernClient#send} is retried under the same client message id
 * until the server acknowledges it or refuses it for good, across reconnects, so it is stored
 * exactly once; after a dropped connection the client reconnects with backoff, resumes its
 * ticket and syncs from its cursor. Unless {@link dev.tern.client.ClientOptions#withDeliveryReceipts}
 * turns it off, the client reports delivery of other users' messages it hands the listener
 * ({@code markDelivered}, coalesced per conversation), so their senders see them delivered.
 */
package dev.tern.client;
