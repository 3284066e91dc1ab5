package dev.tern.core.ledger;

import dev.tern.core.store.ConversationKind;
import dev.tern.core.store.ConversationRecord;
import dev.tern.core.store.MemberRecord;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A conversation's header and members. Small conversations are immutable snapshots, replaced and
 * never mutated. Channels and conversations of {@link #LIVE_MEMBERS} members or more share one live
 * member map between their snapshots: copying a map of a million subscribers on every join would
 * make each join O(members). The live map is changed only under the sequencing lock (as every
 * snapshot is replaced), and readers outside it see each member's record whole (a concurrent map),
 * which is all they ask of it: is this user a member, with which role. Iterations over a live map
 * are weakly consistent, which pushes and paging tolerate.
 */
public record ConversationState(ConversationRecord header, Map<Long, MemberRecord> members) {
    static final int LIVE_MEMBERS = 1024;

    public ConversationState {
        if (members instanceof ConcurrentHashMap<Long, MemberRecord>) {
            // already live: shared with the snapshot this one replaces
        } else if (header.kind() == ConversationKind.CHANNEL || members.size() >= LIVE_MEMBERS) {
            members = new ConcurrentHashMap<>(members);
        } else {
            members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
        }
    }

    public long id() {
        return header.id();
    }

    public Optional<MemberRecord> member(long userId) {
        return Optional.ofNullable(members.get(userId));
    }

    private boolean live() {
        return members instanceof ConcurrentHashMap<Long, MemberRecord>;
    }

    /** The state with {@code m} added or changed. Under the sequencing lock. */
    public ConversationState with(MemberRecord m) {
        if (live()) {
            members.put(m.userId(), m);
            return new ConversationState(header, members);
        }
        Map<Long, MemberRecord> copy = new LinkedHashMap<>(members);
        copy.put(m.userId(), m);
        return new ConversationState(header, copy);
    }

    public ConversationState withHeader(ConversationRecord newHeader) {
        return new ConversationState(newHeader, members);
    }

    /** The state without {@code userId}. Under the sequencing lock. */
    public ConversationState without(long userId) {
        if (live()) {
            members.remove(userId);
            return new ConversationState(header, members);
        }
        Map<Long, MemberRecord> copy = new LinkedHashMap<>(members);
        copy.remove(userId);
        return new ConversationState(header, copy);
    }
}
