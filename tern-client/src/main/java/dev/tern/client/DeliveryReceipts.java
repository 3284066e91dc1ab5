package dev.tern.client;

import dev.tern.protocol.v1.ConversationKind;
import dev.tern.protocol.v1.Update;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

/**
 * Sends delivered markers for the messages of other users the client hands to the application,
 * as the cursor hands them to the listener (pushes and sync pages alike). Coalesced: the first message of a conversation opens a window, and when it closes
 * one markDelivered carries the highest seq seen in it, so a sync page of 2,000 messages costs one
 * request per conversation rather than one per message.
 *
 * <p>Only direct chats: the user's own messages are left out, and so are groups and channels, where
 * the server pushes delivered markers to nobody (in a group every member's marker reaching every
 * other member would be members² pushes per message), so a request would only cost a write.
 */
final class DeliveryReceipts {
    static final long WINDOW_MS = 250;
    private static final long RETRY_MS = 1_000;  // after a refusal by an overloaded server

    /** Where the markers go: TernClient.markDelivered. */
    interface Sender {
        java.util.concurrent.CompletableFuture<?> markDelivered(long conversationId, long upToSeq);
    }

    private final LongSupplier me;
    private final Sender sender;
    private final Scheduler scheduler;
    private final Map<Long, Long> pending = new ConcurrentHashMap<>();
    private final Map<Long, Long> sent = new ConcurrentHashMap<>();
    private final Set<Long> scheduled = ConcurrentHashMap.newKeySet();
    /** Bumped by {@link #forget}: an answer to a receipt of an earlier login must not come back. */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    DeliveryReceipts(LongSupplier me, Sender sender, Scheduler scheduler) {
        this.me = me;
        this.sender = sender;
        this.scheduler = scheduler;
    }

    /** An update the application is being handed: notes the messages of others it carries. */
    void handed(Update update) {
        if (update.hasMessage() && update.getPts() != 0) {
            var m = update.getMessage();
            // Direct chats only: the server pushes no group markers (members² pushes per message).
            if (m.getSenderId() != me.getAsLong() && m.getConversationKind() == ConversationKind.DIRECT) {
                note(m.getConversationId(), m.getSeq(), WINDOW_MS);
            }
        }
    }

    private void note(long conversationId, long seq, long delayMs) {
        if (seq <= sent.getOrDefault(conversationId, 0L)) {
            return;
        }
        pending.merge(conversationId, seq, Math::max);
        if (scheduled.add(conversationId)) {
            try {
                scheduler.schedule(() -> flush(conversationId), delayMs);
            } catch (RejectedExecutionException closed) {
                scheduled.remove(conversationId);
            }
        }
    }

    /**
     * Unschedules before taking the seq: a message noted in between schedules a new window (which
     * may find nothing to send) rather than being stranded in {@code pending}.
     */
    private void flush(long conversationId) {
        scheduled.remove(conversationId);
        Long seq = pending.remove(conversationId);
        if (seq == null || seq <= sent.getOrDefault(conversationId, 0L)) {
            return;
        }
        sent.merge(conversationId, seq, Math::max);
        long sentIn = generation.get();
        sender.markDelivered(conversationId, seq).whenComplete((ok, error) -> {
            if (generation.get() != sentIn) {
                return; // logged out since: nothing of that account carries over
            }
            Throwable cause = error instanceof java.util.concurrent.CompletionException c ? c.getCause() : error;
            if (cause instanceof TernException te && te.retryable()) {
                sent.computeIfPresent(conversationId, (k, v) -> v.longValue() == seq ? null : v);
                if (te.code() == dev.tern.protocol.v1.ErrorCode.SHUTTING_DOWN) {
                    pending.merge(conversationId, seq, Math::max); // not connected: sent on reconnect
                } else {
                    note(conversationId, seq, Math.max(RETRY_MS, te.retryAfterMs())); // overloaded, storage
                }
            }
            // Anything else (left the conversation, logged out): the marker is not worth more.
        });
    }

    /** After a logout: nothing of this account's conversations carries over to the next login. */
    void forget() {
        generation.incrementAndGet();
        pending.clear();
        sent.clear();
    }

    /** The session is (re-)established: what failed for want of a connection goes now. */
    void reconnected() {
        pending.forEach((conversation, seq) -> note(conversation, seq, WINDOW_MS));
    }
}
