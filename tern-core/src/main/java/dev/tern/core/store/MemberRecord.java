package dev.tern.core.store;

/**
 * Membership of one user in one conversation. {@code joinedSeq} is the seq of the service message
 * that added the user (or 1 for founders): the member may read seq {@code >= joinedSeq}.
 * Stores index it both by conversation and by user.
 */
public record MemberRecord(long conversationId, long userId, MemberRole role, long joinedSeq) implements Mutation {}
