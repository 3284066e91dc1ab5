package dev.tern.core.store;

/**
 * An uploaded file, keyed by its media id (128 random bits, hex, unguessable): it names the blob
 * with the file's bytes ({@code sha256}) and, for images, the blob of a server-made thumbnail
 * ({@code thumbSha256} empty when none). {@code width}/{@code height} (images) and {@code durationMs}
 * (audio, video) are 0 when unknown.
 */
public record MediaRecord(String mediaId, long uploaderId, String sha256, long size, String mime, String fileName,
                          int width, int height, String thumbSha256, long thumbSize, long createdAtMs,
                          long durationMs)
        implements Mutation {
    public MediaRecord {
        fileName = fileName == null ? "" : fileName;
        thumbSha256 = thumbSha256 == null ? "" : thumbSha256;
    }
}
