package dev.tern.core.media;

/**
 * A resumable upload in progress as its uploader sees it (the tus resource): its id, the declared
 * length, the bytes received so far and when it expires. A view of the store's record, so the
 * gateway never depends on the store's records.
 */
public record Upload(String uploadId, long size, long offset, long expiresAtMs) {}
