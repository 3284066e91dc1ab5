package dev.tern.core.store;

/**
 * One entry of a user's update log, keyed by (userId, pts). It references what happened rather than
 * copying it, so a group message is stored once however many logs point at it. {@code prevPts} is
 * the pts of the entry before it in the same log (pts may jump after a restart).
 */
public record UpdateRecord(long userId, long pts, long prevPts, UpdateKind kind, long conversationId, long seq,
                           long actorId) implements Mutation {}
