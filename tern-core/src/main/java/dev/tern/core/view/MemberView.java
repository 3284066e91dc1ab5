package dev.tern.core.view;

import dev.tern.core.store.MemberRole;

/** A member of a conversation: who, their role, and the seq they joined at. */
public record MemberView(long userId, String username, MemberRole role, long joinedSeq) {}
