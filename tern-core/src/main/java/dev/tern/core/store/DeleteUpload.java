package dev.tern.core.store;

/** Removes an upload record. */
public record DeleteUpload(String uploadId) implements Mutation {}
