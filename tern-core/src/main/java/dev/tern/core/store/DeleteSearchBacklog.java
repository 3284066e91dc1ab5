package dev.tern.core.store;

/**
 * Removes every search backlog entry with id {@code <= upToId} (ids are non-negative, so a negative
 * {@code upToId} removes nothing): the index has made them durable.
 */
public record DeleteSearchBacklog(long upToId) implements Mutation {}
