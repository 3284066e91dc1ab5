package dev.tern.core.chat;

import dev.tern.core.Failure;
import dev.tern.core.auth.Principal;
import dev.tern.core.store.ConversationRecord;
import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.Store;
import dev.tern.protocol.v1.ErrorCode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Read-through cache of conversation state and the direct-chat index. Loads may run anywhere;
 * {@link #put} runs only under the sequencing lock, so a preparer sees the state it changes.
 */
public final class Conversations {
    private record Pair(long lo, long hi) {}

    private final Store store;
    private final ConcurrentHashMap<Long, ConversationState> states = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Pair, Long> directs = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Map<Long, Long>> readMarkers = new ConcurrentHashMap<>();

    public Conversations(Store store) {
        this.store = store;
    }

    public Optional<ConversationState> get(long conversationId) {
        ConversationState s = states.get(conversationId);
        if (s != null) {
            return Optional.of(s);
        }
        Optional<ConversationRecord> header = store.conversation(conversationId);
        if (header.isEmpty()) {
            return Optional.empty();
        }
        Map<Long, MemberRecord> members = new LinkedHashMap<>();
        for (MemberRecord m : store.members(conversationId)) {
            members.put(m.userId(), m);
        }
        ConversationState loaded = new ConversationState(header.get(), members);
        ConversationState raced = states.putIfAbsent(conversationId, loaded);
        return Optional.of(raced != null ? raced : loaded);
    }

    /**
     * The conversation and the caller's membership, or NOT_MEMBER: a missing conversation and one the
     * caller is not in look the same, so ids cannot be probed.
     */
    public Membership requireMember(Principal caller, long conversationId) {
        ConversationState s = get(conversationId).orElse(null);
        MemberRecord m = s == null ? null : s.members().get(caller.userId());
        if (m == null) {
            throw new Failure(ErrorCode.NOT_MEMBER, "no such conversation, or you are not a member");
        }
        return new Membership(s, m);
    }

    /** A conversation together with the caller's membership record. */
    public record Membership(ConversationState state, MemberRecord member) {}

    /** Under the sequencing lock only. */
    public void put(ConversationState state) {
        states.put(state.id(), state);
    }

    /** The direct chat of two users, if it exists (cached once found). */
    public OptionalLong direct(long a, long b) {
        Pair key = new Pair(Math.min(a, b), Math.max(a, b));
        Long id = directs.get(key);
        if (id != null) {
            return OptionalLong.of(id);
        }
        OptionalLong found = store.directConversation(key.lo, key.hi);
        found.ifPresent(v -> directs.putIfAbsent(key, v));
        return found;
    }

    /** The cached direct chat only; under the lock, after {@link #direct} warmed it. */
    public OptionalLong cachedDirect(long a, long b) {
        Long id = directs.get(new Pair(Math.min(a, b), Math.max(a, b)));
        return id == null ? OptionalLong.empty() : OptionalLong.of(id);
    }

    /** Under the sequencing lock only. */
    public void putDirect(long a, long b, long conversationId) {
        directs.put(new Pair(Math.min(a, b), Math.max(a, b)), conversationId);
    }

    /** The user's read marker in a conversation (0 if none). */
    public long readMarker(long userId, long conversationId) {
        Map<Long, Long> byConv = readMarkers.computeIfAbsent(userId, k -> new ConcurrentHashMap<>());
        Long v = byConv.get(conversationId);
        if (v != null) {
            return v;
        }
        long stored = store.readMarker(userId, conversationId);
        Long raced = byConv.putIfAbsent(conversationId, stored);
        return raced != null ? raced : stored;
    }

    /** Under the sequencing lock only. */
    public void putReadMarker(long userId, long conversationId, long upToSeq) {
        readMarkers.computeIfAbsent(userId, k -> new ConcurrentHashMap<>()).put(conversationId, upToSeq);
    }

    /** Drops everything cached; under the sequencing lock after a failed write. */
    public void reset() {
        states.clear();
        directs.clear();
        readMarkers.clear();
    }
}
