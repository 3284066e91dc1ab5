/**
 * File storage on S3-compatible object storage: {@link dev.tern.blob.s3.S3BlobStore}, the
 * {@link dev.tern.core.blob.BlobStore} port on the AWS SDK for Java v2 (sync client, the JDK's
 * URLConnection HTTP client, path-style requests).
 *
 * <h2>Layout</h2>
 * One object per blob, {@code bucket/prefix + sha256}, holding the blob's bytes as they are. Nothing
 * else is written: no index, no metadata objects, no user metadata.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>An object under the prefix whose name is a key is complete and hashes to its name: the
 *       source file is hashed (streaming) before anything is sent and refused if it does not match;
 *       a PutObject is atomic, and a multipart upload (files above
 *       {@link dev.tern.blob.s3.S3BlobStore#MULTIPART_THRESHOLD}) is visible only once completed.
 *       A failed multipart upload is aborted; one cut off by a crash stays as an incomplete upload
 *       (invisible, but billed) until a bucket lifecycle rule removes it.</li>
 *   <li>A put first asks HeadObject and skips the upload when the object exists. Two racing puts of
 *       one key may both upload; they write identical bytes, so either one winning is the same.</li>
 *   <li>Objects under the prefix whose names are not keys are ignored by {@code list}.</li>
 *   <li>Every SDK failure becomes an {@link java.io.IOException} that names the operation, key and
 *       bucket; a missing object is {@link java.nio.file.NoSuchFileException}.</li>
 *   <li>No blob is held whole in memory: uploads stream from the file (parts from file ranges),
 *       downloads are the response stream itself.</li>
 * </ul>
 */
package dev.tern.blob.s3;
