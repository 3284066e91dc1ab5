/**
 * Media: uploads, blobs and downloads. {@link dev.tern.core.media.BlobStore} is the port to file
 * storage (content-addressed by SHA-256, immutable, atomic puts); the metadata (uploads in progress,
 * media records, reference counts, quotas) lives in the core {@link dev.tern.core.store.Store}.
 */
package dev.tern.core.media;
