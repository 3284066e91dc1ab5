/**
 * The blob port: file storage for media, content-addressed by SHA-256 ({@link
 * dev.tern.core.blob.BlobStore}), and the file-range stream its local implementations serve
 * downloads with ({@link dev.tern.core.blob.FileRangeInputStream}).
 *
 * <p>Invariants: blobs are immutable and put atomically; a key is always checked, never used as a
 * path as it is. This package depends on the JDK only, so a blob adapter (tern-blob-fs,
 * tern-blob-s3) imports nothing else of the core; what blobs mean to users (uploads, media,
 * quotas) is {@code dev.tern.core.media}'s.
 */
package dev.tern.core.blob;
