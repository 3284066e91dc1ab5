package dev.tern.core.store;

/**
 * The persisted upper bound of a sequencer (seqsvr style): no number above it has been issued, so a
 * restarted owner resumes above it. Keys: "user", "conv", "device", "c/{id}" (seq), "u/{id}" (pts).
 */
public record SequenceBound(String key, long bound) implements Mutation {}
