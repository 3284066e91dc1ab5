package dev.tern.core.inbox;

import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.core.Principal;
import dev.tern.core.ledger.ConversationState;
import dev.tern.core.ledger.Conversations;
import dev.tern.core.ledger.Ledger;
import dev.tern.core.ledger.Prepared;
import dev.tern.core.ledger.Timeline;
import dev.tern.core.people.Privacy;
import dev.tern.core.store.ConversationKind;
import dev.tern.core.store.DeliveredMarkerRecord;
import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.ReadMarkerRecord;
import dev.tern.core.store.UpdateKind;
import dev.tern.core.view.Change;
import dev.tern.core.view.Committed;
import dev.tern.core.view.Marker;
import dev.tern.core.view.Update;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Delivered markers ("the user's devices have received this conversation up to seq N") and the
 * other members' markers a dialog shows.
 *
 * <p>A delivered marker is stored (one record per user and conversation, raised in place) but makes
 * no update-log entry: every received message would otherwise cost a log entry per member on top of
 * the message's own, doubling the writes per message. The other members' online devices get a push
 * with pts 0 instead, like a broadcast conversation's post; a device that was offline learns the
 * marker from its dialog list ({@code peer_delivered_seq}). Only direct chats push them: in a group
 * each message would make every member's marker reach every other member (members² pushes), so
 * there the dialog's highest marker is all others learn, and the SDKs send no receipts. Read markers imply delivered markers: a
 * marker raised by reading raises the delivered one too, and the cached delivered marker is never
 * below the read marker (see {@link Conversations#deliveredMarker}).
 *
 * <p>Who sees a user's delivered marker follows their read-receipt privacy: whoever does not get
 * their read markers does not get their delivered markers either. In broadcast conversations both
 * are private (no push, 0 in dialogs), since a push per post per subscriber is what fan-out on read
 * exists to avoid.
 */
public final class Receipts {

    /** How far the others in a conversation have got: delivered is never below read. */
    public record PeerMarkers(long readSeq, long deliveredSeq) {
        static final PeerMarkers NONE = new PeerMarkers(0, 0);
    }

    private final Ledger ledger;
    private final Conversations conversations;
    private final Timeline timeline;
    private final Privacy privacy;

    public Receipts(Ledger ledger, Conversations conversations, Timeline timeline,
                    Privacy privacy) {
        this.ledger = ledger;
        this.conversations = conversations;
        this.timeline = timeline;
        this.privacy = privacy;
    }

    /**
     * Raises the caller's delivered marker and tells the other members' online devices. A seq at or
     * below the current marker (or the read marker) is a no-op; the answer never carries a pts.
     */
    public CompletableFuture<Committed> markDelivered(Principal caller, long conversationId, long upToSeq) {
        requireMarkable(conversations, caller, conversationId, upToSeq);
        // Loaded here so the preparer below reads nothing from the store under the lock.
        ledger.preloadConversation(conversationId);
        privacy.load(caller.userId());
        conversations.deliveredMarker(caller.userId(), conversationId);
        Committed ok = new Committed(conversationId, upToSeq, 0, 0);
        return ledger.submit(Ledger.Scope.conversation(conversationId), () -> {
            ConversationState state = markable(conversations, ledger, caller, conversationId, upToSeq);
            if (upToSeq <= conversations.deliveredMarker(caller.userId(), conversationId)) {
                return Prepared.of(List.of(), ok);
            }
            conversations.putDeliveredMarker(caller.userId(), conversationId, upToSeq);
            List<Mutation> batch = List.of(new DeliveredMarkerRecord(caller.userId(), conversationId, upToSeq));
            if (state.header().kind() != ConversationKind.DIRECT) {
                // Stored (dialogs show the highest), pushed to nobody: in a group every member's device
                // marks every message, and a push of each to every other member is members² per message.
                return Prepared.of(batch, ok);
            }
            // The members who get no push: the caller (their devices do not need it) and whoever the
            // caller hides read receipts from. Decided now, under the lock, like markRead's recipients.
            Set<Long> untold = new HashSet<>();
            untold.add(caller.userId());
            for (long m : state.members().keySet()) {
                if (!privacy.readReceiptsVisible(caller.userId(), m)) {
                    untold.add(m);
                }
            }
            Update push = Update.unlogged(new Change.Delivered(
                    new Marker(conversationId, caller.userId(), caller.username(), upToSeq)));
            return new Prepared<>(batch, ok, timeline.pushBroadcast(state, upToSeq, untold, push, List.of()));
        });
    }

    /** Before ordering a marker (read or delivered): a positive seq, and a member (NOT_MEMBER). */
    private static Conversations.Membership requireMarkable(Conversations conversations, Principal caller,
                                                    long conversationId, long upToSeq) {
        Principal.require(caller);
        if (upToSeq <= 0) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "up_to_seq must be positive");
        }
        return conversations.requireMember(caller, conversationId);
    }

    /**
     * Under the lock: the conversation, once the caller is still a member and {@code upToSeq} is not
     * beyond its newest seq (the conversation's sequencer must be loaded).
     */
    private static ConversationState markable(Conversations conversations, Ledger ledger, Principal caller,
                                      long conversationId, long upToSeq) {
        ConversationState state = conversations.requireMember(caller, conversationId).state();
        if (upToSeq > ledger.lastSeq(conversationId)) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "up_to_seq is beyond the newest message");
        }
        return state;
    }

    /**
     * Under the lock, in a batch that raises {@code userId}'s read marker to {@code upToSeq} (before
     * the cached read marker is raised): raises the stored delivered marker with it, so the store
     * alone tells that reading implied receiving.
     */
    private static void followRead(Conversations conversations, long userId, long conversationId, long upToSeq,
                           List<Mutation> batch) {
        if (conversations.deliveredMarker(userId, conversationId) < upToSeq) {
            batch.add(new DeliveredMarkerRecord(userId, conversationId, upToSeq));
            conversations.putDeliveredMarker(userId, conversationId, upToSeq);
        }
    }

    /**
     * The markers of the other side as {@code viewer}'s dialog shows them: in a direct chat the other
     * user's, in a group that is not broadcast the highest among the other members' (someone has read
     * up to there), counting only members whose read-receipt privacy lets the viewer see them; none in
     * broadcast conversations.
     *
     * <p>Cost: two marker lookups and a privacy check per other member, all from memory once loaded.
     * The markers are cached per (user, conversation) in {@link Conversations} and raised in place
     * under the lock, so a member's markers are read from the store once (two point reads, bloom
     * filtered) until the cache is dropped after a failed write, not once per dialog listing; the
     * privacy settings and contact lists are cached per user in {@link Privacy}. A group is at most
     * the broadcast threshold in members, so a listing's work is bounded by that per group.
     */
    public PeerMarkers peerMarkers(long viewer, ConversationState state) {
        if (timeline.broadcast(state)) {
            return PeerMarkers.NONE;
        }
        long read = 0;
        long delivered = 0;
        for (MemberRecord m : state.members().values()) {
            long u = m.userId();
            if (u == viewer || !privacy.readReceiptsVisible(u, viewer)) {
                continue;
            }
            read = Math.max(read, conversations.readMarker(u, state.id()));
            delivered = Math.max(delivered, conversations.deliveredMarker(u, state.id()));
        }
        return new PeerMarkers(read, Math.max(read, delivered));
    }

    /**
     * Raises the caller's read marker (and the delivered marker with it, without a push of its own)
     * and tells the other members and the caller's other devices. Marking a seq at or below the
     * current marker is a no-op.
     */
    public CompletableFuture<Committed> markRead(Principal caller, long conversationId, long upToSeq) {
        Conversations.Membership ms = requireMarkable(conversations, caller, conversationId, upToSeq);
        timeline.preload(ms.state(), caller.userId());
        privacy.load(caller.userId()); // read-receipt settings are consulted under the lock
        conversations.deliveredMarker(caller.userId(), conversationId); // and the read marker
        Committed noop = new Committed(conversationId, upToSeq, 0, 0);
        return ledger.submit(Ledger.Scope.conversation(conversationId), () -> {
            ConversationState state = markable(conversations, ledger, caller, conversationId, upToSeq);
            if (upToSeq <= conversations.readMarker(caller.userId(), conversationId)) {
                return Prepared.of(List.of(), noop);
            }
            List<Mutation> batch = new ArrayList<>();
            batch.add(new ReadMarkerRecord(caller.userId(), conversationId, upToSeq));
            followRead(conversations, caller.userId(), conversationId, upToSeq, batch);
            conversations.putReadMarker(caller.userId(), conversationId, upToSeq);
            Change read = new Change.Read(new Marker(conversationId, caller.userId(), caller.username(), upToSeq));
            // Members the reader hides read receipts from get no entry; the reader's own devices always do.
            // In a broadcast conversation read markers are private: only the reader's devices learn them.
            List<Long> told = timeline.broadcast(state) ? List.of(caller.userId()) : state.members().keySet().stream()
                    .filter(m -> privacy.readReceiptsVisible(caller.userId(), m)).toList();
            List<Timeline.Entry> entries = timeline.log(told, UpdateKind.READ, conversationId,
                    upToSeq, caller.userId(), batch);
            Timeline.Entry mine = Timeline.entryOf(entries, caller.userId());
            Committed ok = new Committed(conversationId, upToSeq, mine.pts(), mine.prevPts());
            Runnable publish = timeline.push(entries, read, caller.userId(), caller.deviceId());
            return new Prepared<>(batch, ok, publish);
        });
    }
}
