package dev.tern.core.store;

/** Removes a blob's reference count, written with the blob's collection. */
public record DeleteBlobRef(String sha256) implements Mutation {}
