package dev.tern.core.media;

import dev.tern.core.store.MediaRecord;

/**
 * Stored media as the edge serves it (HTTP downloads, tus HEAD): the file's id, its uploader, type,
 * size and SHA-256 (the strong ETag), and its thumbnail's size and SHA-256 (empty when it has
 * none). A view of the store's record, so the gateway never depends on the store's records.
 */
public record MediaFile(String mediaId, long uploaderId, String mime, long size, String sha256,
                        long thumbnailSize, String thumbnailSha256) {

    public boolean hasThumbnail() {
        return !thumbnailSha256.isEmpty();
    }

    static MediaFile of(MediaRecord m) {
        return new MediaFile(m.mediaId(), m.uploaderId(), m.mime(), m.size(), m.sha256(), m.thumbSize(),
                m.thumbSha256());
    }
}
