package dev.tern.core.store;

/**
 * How many media records name a blob (as file or thumbnail), keyed by its SHA-256. When
 * {@code refs} drops to 0, {@code unreferencedSinceMs} says since when; the collector deletes the
 * blob after the grace period unless a new upload of the same bytes referenced it again.
 */
public record BlobRefRecord(String sha256, long refs, long size, long unreferencedSinceMs) implements Mutation {}
