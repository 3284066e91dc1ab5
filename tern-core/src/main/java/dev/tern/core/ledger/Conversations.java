package dev.tern.core.ledger;

import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.core.Principal;
import dev.tern.core.store.ConversationKind;
import dev.tern.core.store.ConversationRecord;
import dev.tern.core.store.DialogRecord;
import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.MemberRole;
import dev.tern.core.store.Store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Read-through cache of conversation state, the direct-chat index, and read and delivered markers. Loads may run
 * anywhere; {@link #put} and the other writers run only under the sequencing lock, so a preparer
 * sees the state it changes. See {@link EpochCache} for why a reset cannot be undone by a late load.
 */
public final class Conversations {
    private record Pair(long lo, long hi) {}

    private record MarkerKey(long userId, long conversationId) {}

    private final Store store;
    private final EpochCache<Long, ConversationState> states = new EpochCache<>();
    private final EpochCache<Pair, Long> directs = new EpochCache<>();
    private final EpochCache<MarkerKey, Long> readMarkers = new EpochCache<>();
    private final EpochCache<MarkerKey, Long> deliveredMarkers = new EpochCache<>();
    private final EpochCache<String, Long> channelNames = new EpochCache<>();
    // userId -> (conversationId -> the user's dialog settings); replaced, never mutated.
    private final EpochCache<Long, Map<Long, DialogRecord>> dialogs = new EpochCache<>();

    public Conversations(Store store) {
        this.store = store;
    }

    public Optional<ConversationState> get(long conversationId) {
        return Optional.ofNullable(states.get(conversationId, this::load));
    }

    private ConversationState load(long conversationId) {
        Optional<ConversationRecord> header = store.conversation(conversationId);
        if (header.isEmpty()) {
            return null;
        }
        Map<Long, MemberRecord> members = new LinkedHashMap<>();
        for (MemberRecord m : store.members(conversationId)) {
            members.put(m.userId(), m);
        }
        return new ConversationState(header.get(), members);
    }

    /** The cached state only, or null: never reads the store. */
    public ConversationState peek(long conversationId) {
        return states.peek(conversationId);
    }

    /**
     * The conversation and the caller's membership, or NOT_MEMBER: a missing conversation and one the
     * caller is not in look the same, so ids cannot be probed.
     */
    public Membership requireMember(Principal caller, long conversationId) {
        Principal.require(caller);
        ConversationState s = get(conversationId).orElse(null);
        MemberRecord m = s == null ? null : s.members().get(caller.userId());
        if (m == null) {
            throw new Failure(ErrorCode.NOT_MEMBER, "no such conversation, or you are not a member");
        }
        return new Membership(s, m);
    }

    /**
     * {@link #requireMember}, then INVALID_ARGUMENT unless the conversation is a group or a channel
     * and FORBIDDEN unless the caller is its owner or an admin ("only admins {@code what}").
     */
    public Membership requireGroupAdmin(Principal caller, long conversationId, String what) {
        Membership ms = requireMember(caller, conversationId);
        if (ms.state().header().kind() == ConversationKind.DIRECT) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "not a group or channel");
        }
        if (!ms.member().role().atLeast(MemberRole.ADMIN)) {
            throw new Failure(ErrorCode.FORBIDDEN, "only admins " + what);
        }
        return ms;
    }

    /** A conversation together with the caller's membership record. */
    public record Membership(ConversationState state, MemberRecord member) {}

    /** Under the sequencing lock only. */
    public void put(ConversationState state) {
        states.put(state.id(), state);
    }

    /** The direct chat of two users, if it exists (cached once found). */
    public OptionalLong direct(long a, long b) {
        Long id = directs.get(pair(a, b), p -> {
            OptionalLong found = store.directConversation(p.lo, p.hi);
            return found.isPresent() ? found.getAsLong() : null;
        });
        return id == null ? OptionalLong.empty() : OptionalLong.of(id);
    }

    /** The cached direct chat only; under the lock, after {@link #direct} warmed it. */
    public OptionalLong cachedDirect(long a, long b) {
        Long id = directs.peek(pair(a, b));
        return id == null ? OptionalLong.empty() : OptionalLong.of(id);
    }

    /** Under the sequencing lock only. */
    public void putDirect(long a, long b, long conversationId) {
        directs.put(pair(a, b), conversationId);
    }

    /** The user's read marker in a conversation (0 if none). */
    public long readMarker(long userId, long conversationId) {
        return readMarkers.get(new MarkerKey(userId, conversationId), k -> store.readMarker(k.userId, k.conversationId));
    }

    /** Under the sequencing lock only. */
    public void putReadMarker(long userId, long conversationId, long upToSeq) {
        readMarkers.put(new MarkerKey(userId, conversationId), upToSeq);
    }

    /**
     * How far the user's devices have received the conversation (0 if nothing): the stored delivered
     * marker or the read marker, whichever is higher, since reading implies receiving (and read markers
     * older than delivered markers have no delivered record).
     */
    public long deliveredMarker(long userId, long conversationId) {
        long delivered = deliveredMarkers.get(new MarkerKey(userId, conversationId),
                k -> store.deliveredMarker(k.userId, k.conversationId));
        return Math.max(delivered, readMarker(userId, conversationId));
    }

    /** Under the sequencing lock only. */
    public void putDeliveredMarker(long userId, long conversationId, long upToSeq) {
        deliveredMarkers.put(new MarkerKey(userId, conversationId), upToSeq);
    }

    /** The channel with this public name (lower-case), if any; cached once found. */
    public OptionalLong channelByName(String canonicalName) {
        Long id = channelNames.get(canonicalName, n -> {
            OptionalLong found = store.channelByName(n);
            return found.isPresent() ? found.getAsLong() : null;
        });
        return id == null ? OptionalLong.empty() : OptionalLong.of(id);
    }

    /** Under the sequencing lock only: claims a name for a channel being created. */
    public void putChannelName(String canonicalName, long conversationId) {
        channelNames.put(canonicalName, conversationId);
    }

    /**
     * The user's dialog settings by conversation, including changes ordered but not yet durable (so
     * two devices changing different settings in one commit window do not undo each other).
     */
    public Map<Long, DialogRecord> dialogs(long userId) {
        return dialogs.get(userId, u -> {
            Map<Long, DialogRecord> m = new LinkedHashMap<>();
            for (DialogRecord d : store.dialogsOf(u)) {
                m.put(d.conversationId(), d);
            }
            return Collections.unmodifiableMap(m);
        });
    }

    /** The user's settings for one conversation (the defaults when never set). */
    public DialogRecord dialog(long userId, long conversationId) {
        return dialogs(userId).getOrDefault(conversationId, DialogRecord.defaults(userId, conversationId));
    }

    /** Under the sequencing lock only. */
    public void putDialog(DialogRecord d) {
        Map<Long, DialogRecord> m = new LinkedHashMap<>(dialogs(d.userId()));
        m.put(d.conversationId(), d);
        dialogs.put(d.userId(), Collections.unmodifiableMap(m));
    }

    /** Drops everything cached; under the sequencing lock after a failed write. */
    public void reset() {
        dialogs.reset();
        channelNames.reset();
        states.reset();
        directs.reset();
        readMarkers.reset();
        deliveredMarkers.reset();
    }

    private static Pair pair(long a, long b) {
        return new Pair(Math.min(a, b), Math.max(a, b));
    }
}
