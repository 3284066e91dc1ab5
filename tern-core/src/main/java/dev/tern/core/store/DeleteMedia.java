package dev.tern.core.store;

/** Removes a media record (never sent in a message within the grace period). */
public record DeleteMedia(String mediaId) implements Mutation {}
