/**
 * Media: uploads, blobs and downloads. {@link dev.tern.core.blob.BlobStore} (the blob port) stores
 * the bytes (content-addressed by SHA-256, immutable, atomic puts); the metadata (uploads in
 * progress, media records, reference counts, quotas) lives in the core
 * {@link dev.tern.core.store.Store}. The edge sees media through views ({@link
 * dev.tern.core.media.Upload}, {@link dev.tern.core.media.MediaFile}), never the store's records.
 */
package dev.tern.core.media;
