package dev.tern.core.message;

import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.core.Principal;
import dev.tern.core.auth.Users;
import dev.tern.core.group.GroupSettings;
import dev.tern.core.ledger.ConversationState;
import dev.tern.core.ledger.Conversations;
import dev.tern.core.ledger.Dedup;
import dev.tern.core.ledger.Inflight;
import dev.tern.core.ledger.Ledger;
import dev.tern.core.ledger.Prepared;
import dev.tern.core.ledger.Timeline;
import dev.tern.core.people.Blocks;
import dev.tern.core.store.ConversationKind;
import dev.tern.core.store.ConversationRecord;
import dev.tern.core.store.DedupRecord;
import dev.tern.core.store.DirectRecord;
import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.MemberRole;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.UserRecord;
import dev.tern.core.view.Sent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/** Sending messages: validation, ordering, de-duplication of retries; how devices catch up is {@link Catchup}. */
public final class Messaging {
    private final Ledger ledger;
    private final Conversations conversations;
    private final Users users;
    private final Timeline timeline;
    private final GroupSettings settings;
    private final Blocks blocks;
    private final Dedup dedup;
    private final Drafts drafts;
    private final Inflight<Dedup.Key, Sent> inflight;

    /**
     * Eight collaborators, each a check or a step of the send path: the kernel and its state
     * (ledger, conversations, timeline), who the peer is (users), may the caller post (settings,
     * blocks), is this a repeat (dedup), and what the message is (drafts).
     */
    public Messaging(Ledger ledger, Conversations conversations, Users users, Timeline timeline,
                     GroupSettings settings, Blocks blocks, Dedup dedup, Drafts drafts) {
        this.ledger = ledger;
        this.conversations = conversations;
        this.users = users;
        this.timeline = timeline;
        this.settings = settings;
        this.blocks = blocks;
        this.dedup = dedup;
        this.drafts = drafts;
        this.inflight = dedup.runs();
    }

    /**
     * Orders the message and returns at once; the future completes after the message is durable.
     * A send's validation and ordering happen before this method returns, so sends issued one after
     * another by one caller get increasing seqs. May block on cold reads (call from a virtual thread).
     */
    public CompletableFuture<Sent> send(Principal caller, Outgoing req) {
        return send(caller, req, true);
    }

    /**
     * The same, for an event loop: orders the message only if everything it needs is in memory
     * (an existing conversation, its members and sequencers loaded), so nothing blocks; returns null
     * otherwise, and the caller takes the blocking path.
     */
    public CompletableFuture<Sent> sendIfWarm(Principal caller, Outgoing req) {
        return send(caller, req, false);
    }

    private CompletableFuture<Sent> send(Principal caller, Outgoing req, boolean mayBlock) {
        Principal.require(caller);
        String clientMsgId = req.clientMsgId();
        if (clientMsgId.isEmpty() || clientMsgId.length() > Dedup.MAX_ID) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "client_msg_id must be 1-64 characters");
        }
        if (!mayBlock && !warm(caller, req)) {
            return null;
        }
        Dedup.Key key = new Dedup.Key(caller.deviceId(), clientMsgId);
        CompletableFuture<Sent> mine = new CompletableFuture<>();
        CompletableFuture<Sent> earlier = inflight.join(key, mine);
        if (earlier != null) {
            // The same send is being ordered right now (a retry on another connection of the device).
            return earlier.thenApply(Sent::asDuplicate);
        }
        try {
            if (req.retry()) {
                // A retransmission: if the first attempt is durable (its ack was lost with a connection or
                // a crash), answer from its dedup record now. Found only on the committer, the retry would
                // take seq and pts numbers that are then never written, and the next entry of every
                // member's log would name a prevPts that does not exist: a false gap, a sync per member.
                java.util.Optional<Sent> prior = dedup.priorSend(key).map(d -> priorAck(clientMsgId, d));
                if (prior.isPresent()) {
                    return inflight.settle(key, mine, CompletableFuture.completedFuture(prior.get()));
                }
            }
            CompletableFuture<Sent> durable = order(caller, req, key, mayBlock);
            if (durable == null) {
                inflight.release(key, mine); // went cold, or the lock was busy: take the blocking path
                return null;
            }
            return inflight.settle(key, mine, durable);
        } catch (RuntimeException e) {
            inflight.fail(key, mine, e);
            throw e;
        }
    }

    /** True when ordering this send needs no store read. */
    private boolean warm(Principal caller, Outgoing req) {
        if (!req.toConversation() || req.retry() || req.replyToSeq() != 0 || req.forward() != null
                || !req.mediaId().isEmpty() || (req.hasText() && req.text().indexOf('@') >= 0)) {
            // Replies, forwards and mentions read the store (the message, the names) before ordering.
            return false;
        }
        ConversationState s = conversations.peek(req.conversationId());
        return s != null && timeline.isPreloaded(s, caller.userId())
                && (s.header().kind() != ConversationKind.DIRECT || blocks.isLoaded(peerOf(s, caller.userId())));
    }

    /**
     * Orders a send. With {@code mayBlock} false (an event loop) nothing is loaded: the conversation
     * is checked to be in memory again under the lock, and null is returned if it is not.
     */
    private CompletableFuture<Sent> order(Principal caller, Outgoing req, Dedup.Key key, boolean mayBlock) {
        Timeline.Draft draft = drafts.of(caller, req);
        if (!mayBlock) {
            long id = req.conversationId();
            return ledger.submitIfWarm(Ledger.Scope.conversation(id), () -> warm(caller, req),
                    () -> prepareSend(caller, draft, id, 0, duplicateCheck(key)));
        }
        long peerId = 0;
        long conversationId = 0;
        if (req.toConversation()) {
            conversationId = req.conversationId();
        } else if (req.peer() != null) {
            {
                UserRecord peer = users.byName(req.peer())
                        .orElseThrow(() -> new Failure(ErrorCode.USER_NOT_FOUND, "no such user"));
                if (peer.id() == caller.userId()) {
                    throw new Failure(ErrorCode.INVALID_ARGUMENT, "peer must be another user");
                }
                peerId = peer.id();
                OptionalLong existing = conversations.direct(caller.userId(), peerId);
                if (existing.isPresent()) {
                    conversationId = existing.getAsLong();
                } else {
                    ledger.preload(Ledger.IdSpace.CONVERSATION);
                }
            }
        } else {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "conversation_id or peer is required");
        }
        if (conversationId != 0) {
            ConversationState state = conversations.requireMember(caller, conversationId).state();
            timeline.preload(state, caller.userId());
            if (state.header().kind() == ConversationKind.DIRECT) {
                peerId = peerOf(state, caller.userId());
            }
        } else {
            ledger.preloadUser(caller.userId());
            ledger.preloadUser(peerId);
        }
        if (peerId != 0 && blocks.blocks(peerId, caller.userId())) { // loads the peer's blocks for the check below
            throw blocked();
        }
        long knownConversation = conversationId;
        long peer = conversationId != 0 ? 0 : peerId;
        return ledger.submit(knownConversation != 0 ? Ledger.Scope.conversation(knownConversation)
                : Ledger.Scope.ids(Ledger.IdSpace.CONVERSATION), () -> prepareSend(caller, draft, knownConversation, peer,
                duplicateCheck(key)));
    }

    /**
     * A retry of a send made durable earlier is recognised on the committer, by its dedup record,
     * so the common case (a new message) costs no read before ordering.
     */
    private Prepared.DuplicateCheck<Sent> duplicateCheck(Dedup.Key key) {
        return dedup.onCommit(key, d -> priorAck(key.clientId(), d));
    }

    /** The first ack of a durable send, marked as a duplicate. */
    private static Sent priorAck(String clientMsgId, DedupRecord d) {
        return new Sent(clientMsgId, d.conversationId(), d.seq(), d.pts(), d.prevPts(), d.tsMs(), true);
    }

    /** Under the lock: appends the message to a known conversation, or to the direct chat with {@code peer}. */
    private Prepared<Sent> prepareSend(Principal caller, Timeline.Draft draft, long knownConversation, long peer,
                                          Prepared.DuplicateCheck<Sent> repeat) {
        List<Mutation> batch = new ArrayList<>();
        ConversationState state = knownConversation != 0
                ? conversations.requireMember(caller, knownConversation).state()
                : directUnderLock(caller.userId(), peer, draft.tsMs(), batch);
        if (knownConversation != 0) {
            settings.checkPosting(state, state.members().get(caller.userId()), draft.tsMs());
        }
        if (state.header().kind() == ConversationKind.DIRECT) {
            // Checked again under the lock, from memory (loaded before ordering or the send was not warm).
            long other = peerOf(state, caller.userId());
            if (blocks.isLoaded(other) && blocks.blocks(other, caller.userId())) {
                throw blocked();
            }
        }
        if (!draft.extras().mentions().isEmpty()) {
            // Only members are mentioned: a name of someone outside must not reach them or be stored.
            draft = draft.withExtras(draft.extras().withMentions(draft.extras().mentions().stream()
                    .filter(state.members()::containsKey).toList()));
        }
        Timeline.Appended a = timeline.append(state, draft, state.members().keySet(), batch);
        if (draft.extras().hasMedia()) {
            // Readers of this message may download its media from now on.
            batch.add(dev.tern.core.media.MediaLibrary.used(draft.extras().media(), state.id(), a.record().seq()));
        }
        Timeline.Entry mine = Timeline.entryOf(a.entries(), caller.userId());
        batch.add(Dedup.remember(new Dedup.Key(caller.deviceId(), draft.clientMsgId()), state.id(), a.record().seq(),
                mine.pts(), mine.prevPts(), draft.tsMs()));
        Sent ack = new Sent(draft.clientMsgId(), state.id(), a.record().seq(), mine.pts(), mine.prevPts(),
                draft.tsMs(), false);
        return new Prepared<>(batch, ack, a.publish(), repeat);
    }

    /** The other member of a direct chat (the caller themselves if they are alone in it). */
    private static long peerOf(ConversationState direct, long me) {
        for (long u : direct.members().keySet()) {
            if (u != me) {
                return u;
            }
        }
        return me;
    }

    private static Failure blocked() {
        return new Failure(ErrorCode.BLOCKED, "this user does not accept messages from you");
    }

    /** Finds or creates (in {@code batch}) the direct chat of two users. Under the lock. */
    private ConversationState directUnderLock(long me, long peer, long now, List<Mutation> batch) {
        OptionalLong cached = conversations.cachedDirect(me, peer);
        if (cached.isPresent()) {
            return conversations.get(cached.getAsLong()).orElseThrow();
        }
        OptionalLong stored = conversations.direct(me, peer);
        if (stored.isPresent()) {
            return conversations.get(stored.getAsLong()).orElseThrow();
        }
        long id = ledger.newId(Ledger.IdSpace.CONVERSATION, batch);
        ConversationRecord header = new ConversationRecord(id, ConversationKind.DIRECT, "", now);
        MemberRecord a = new MemberRecord(id, Math.min(me, peer), MemberRole.MEMBER, 1);
        MemberRecord b = new MemberRecord(id, Math.max(me, peer), MemberRole.MEMBER, 1);
        batch.add(header);
        batch.add(a);
        batch.add(b);
        batch.add(new DirectRecord(a.userId(), b.userId(), id));
        ConversationState state = new ConversationState(header, Map.of(a.userId(), a, b.userId(), b));
        conversations.put(state);
        conversations.putDirect(me, peer, id);
        return state;
    }

}
