package dev.tern.core.store;

/**
 * A resumable upload in progress, keyed by its id (128 random bits, hex). The bytes received so far
 * are in a staging file named after the id; its length is the upload's offset. Removed by
 * {@link DeleteUpload} when the upload completes, is cancelled or expires.
 *
 * @param size     the declared length in bytes
 * @param mime     the declared MIME type, checked against the bytes at completion
 * @param fileName the client's name for the file (may be empty)
 */
public record UploadRecord(String uploadId, long userId, long size, String mime, String fileName, long createdAtMs,
                           long expiresAtMs) implements Mutation {}
