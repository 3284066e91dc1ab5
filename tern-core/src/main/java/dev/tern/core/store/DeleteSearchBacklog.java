package dev.tern.core.store;

/** Removes every search backlog entry with id {@code <= upToId}: the index has made them durable. */
public record DeleteSearchBacklog(long upToId) implements Mutation {}
