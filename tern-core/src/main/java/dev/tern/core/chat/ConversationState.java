package dev.tern.core.chat;

import dev.tern.core.store.ConversationRecord;
import dev.tern.core.store.MemberRecord;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** An immutable snapshot of a conversation's header and members; replaced, never mutated. */
public record ConversationState(ConversationRecord header, Map<Long, MemberRecord> members) {
    public ConversationState {
        members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    public long id() {
        return header.id();
    }

    public Optional<MemberRecord> member(long userId) {
        return Optional.ofNullable(members.get(userId));
    }

    public ConversationState with(MemberRecord m) {
        Map<Long, MemberRecord> copy = new LinkedHashMap<>(members);
        copy.put(m.userId(), m);
        return new ConversationState(header, copy);
    }

    public ConversationState withHeader(ConversationRecord newHeader) {
        return new ConversationState(newHeader, members);
    }

    public ConversationState without(long userId) {
        Map<Long, MemberRecord> copy = new LinkedHashMap<>(members);
        copy.remove(userId);
        return new ConversationState(header, copy);
    }
}
