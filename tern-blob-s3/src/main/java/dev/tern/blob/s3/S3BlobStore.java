package dev.tern.blob.s3;

import dev.tern.core.blob.BlobStore;
import dev.tern.core.blob.FileRangeInputStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Blobs as objects {@code prefix + sha256} in one bucket of an S3-compatible service. Layout and invariants:
 * {@link dev.tern.blob.s3 package-info}. Thread-safe (the SDK client is); every method blocks on the network.
 */
public final class S3BlobStore implements BlobStore {

    /** Files larger than this are sent as a multipart upload (a single PUT is limited to 5 GiB, and one failed
     * request would resend everything). */
    public static final long MULTIPART_THRESHOLD = 64L << 20;
    /** Size of each part but the last: 10,000 parts (S3's limit) of 16 MiB cover 156 GiB. */
    public static final long PART_SIZE = 16L << 20;

    private static final String CONTENT_TYPE = "application/octet-stream";

    private final S3Config config;
    private final S3Client s3;

    private S3BlobStore(S3Config config, S3Client s3) {
        this.config = config;
        this.s3 = s3;
    }

    /**
     * Connects and checks that the bucket exists and the credentials may use it, so that a wrong setting
     * fails at start rather than at the first upload.
     */
    public static S3BlobStore open(S3Config config) throws IOException {
        S3Client s3 = S3Client.builder()
                .endpointOverride(config.endpoint())
                .region(Region.of(config.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(config.accessKey(), config.secretKey())))
                .forcePathStyle(true)
                // Checksums only where an operation requires them: S3-compatible servers differ in their support
                // for the SDK's newer default (trailing CRC checksums), and put verifies SHA-256 itself.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60))
                        .build())
                .build();
        S3BlobStore store = new S3BlobStore(config, s3);
        try {
            store.call("HeadBucket", null, () -> s3.headBucket(b -> b.bucket(config.bucket())));
        } catch (IOException | RuntimeException e) {
            s3.close();
            throw e;
        }
        return store;
    }

    @Override
    public void put(String sha256, Path source, long size) throws IOException {
        String key = objectKey(sha256);
        if (size(sha256) >= 0) {
            return;
        }
        verify(sha256, source, size);
        if (size <= MULTIPART_THRESHOLD) {
            call("PutObject", sha256, () -> s3.putObject(b -> b.bucket(config.bucket()).key(key)
                    .contentLength(size).contentType(CONTENT_TYPE), RequestBody.fromFile(source)));
        } else {
            putMultipart(sha256, key, source, size);
        }
    }

    /** Hashes {@code source} (streaming, 64 KiB at a time) and refuses it unless it has the key's hash and size. */
    private static void verify(String sha256, Path source, long size) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
        long length = 0;
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(64 << 10);
            for (int n; (n = in.read(buffer)) != -1; buffer.clear()) {
                digest.update(buffer.array(), 0, n);
                length += n;
            }
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (length != size || !actual.equals(sha256)) {
            throw new IOException("blob " + sha256 + ": source " + source + " has " + length + " bytes hashing to "
                    + actual + ", expected " + size + " bytes; not stored");
        }
    }

    private void putMultipart(String sha256, String key, Path source, long size) throws IOException {
        String uploadId = call("CreateMultipartUpload", sha256, () -> s3.createMultipartUpload(b -> b
                .bucket(config.bucket()).key(key).contentType(CONTENT_TYPE))).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (long offset = 0; offset < size; offset += PART_SIZE) {
                long start = offset;
                long length = Math.min(PART_SIZE, size - offset);
                int number = parts.size() + 1;
                // A provider, not a stream: the SDK opens the range again when it retries a part.
                RequestBody body = RequestBody.fromContentProvider(() -> {
                    try {
                        return FileRangeInputStream.open(source, start, length);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, length, CONTENT_TYPE);
                String etag = call("UploadPart " + number, sha256, () -> s3.uploadPart(b -> b.bucket(config.bucket())
                        .key(key).uploadId(uploadId).partNumber(number).contentLength(length), body)).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            call("CompleteMultipartUpload", sha256, () -> s3.completeMultipartUpload(b -> b.bucket(config.bucket())
                    .key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
        } catch (IOException | RuntimeException e) {
            try {
                call("AbortMultipartUpload", sha256, () -> s3.abortMultipartUpload(b -> b.bucket(config.bucket())
                        .key(key).uploadId(uploadId)));
            } catch (IOException | RuntimeException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    @Override
    public long size(String sha256) throws IOException {
        String key = objectKey(sha256);
        try {
            return call("HeadObject", sha256, () -> s3.headObject(b -> b.bucket(config.bucket()).key(key)))
                    .contentLength();
        } catch (NoSuchFileException e) {
            return -1;
        }
    }

    @Override
    public InputStream open(String sha256, long offset, long length) throws IOException {
        String key = objectKey(sha256);
        if (offset < 0 || length < -1) {
            throw new IllegalArgumentException("bad range: offset " + offset + ", length " + length);
        }
        if (length == 0) {
            // An HTTP range cannot be empty; the answer still depends on whether the blob exists.
            if (size(sha256) < 0) {
                throw new NoSuchFileException(key, null, "no blob " + sha256 + " in bucket " + config.bucket());
            }
            return InputStream.nullInputStream();
        }
        String range = "bytes=" + offset + "-" + (length == -1 ? "" : String.valueOf(offset + length - 1));
        try {
            return call("GetObject", sha256, () -> s3.getObject(b -> b.bucket(config.bucket()).key(key).range(range)));
        } catch (RangeNotSatisfiable e) {
            // 416: the object exists (a missing one is a 404) and the range starts at or past its end.
            return InputStream.nullInputStream();
        }
    }

    @Override
    public void delete(String sha256) throws IOException {
        String key = objectKey(sha256);
        call("DeleteObject", sha256, () -> s3.deleteObject(b -> b.bucket(config.bucket()).key(key)));
    }

    @Override
    public List<String> list(String after, int limit) throws IOException {
        Objects.requireNonNull(after, "after");
        if (limit < 0) {
            throw new IllegalArgumentException("limit " + limit);
        }
        List<String> keys = new ArrayList<>(Math.min(limit, 1000));
        String token = null;
        while (keys.size() < limit) {
            String continuation = token;
            int want = Math.min(1000, limit - keys.size());
            ListObjectsV2Response page = call("ListObjectsV2", null, () -> s3.listObjectsV2(b -> {
                b.bucket(config.bucket()).prefix(config.prefix()).maxKeys(want);
                if (continuation != null) {
                    b.continuationToken(continuation);
                } else if (!after.isEmpty()) {
                    b.startAfter(config.prefix() + after);
                }
            }));
            for (S3Object object : page.contents()) {
                String name = object.key().substring(config.prefix().length());
                // Other objects may share the prefix; only names that are keys are blobs.
                if (BlobStore.validKey(name) && name.compareTo(after) > 0 && keys.size() < limit) {
                    keys.add(name);
                }
            }
            if (!Boolean.TRUE.equals(page.isTruncated())) {
                break;
            }
            token = page.nextContinuationToken();
        }
        return keys;
    }

    @Override
    public void close() {
        s3.close();
    }

    private String objectKey(String sha256) {
        if (!BlobStore.validKey(sha256)) {
            throw new IllegalArgumentException("not a blob key (64 lower-case hex characters): " + sha256);
        }
        return config.prefix() + sha256;
    }

    /** A 416 from GetObject: internal, turned into an empty stream by {@link #open}. */
    private static final class RangeNotSatisfiable extends IOException {
        RangeNotSatisfiable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T run();
    }

    /** Runs one SDK call and turns its failures into IOExceptions that say what failed where. */
    private <T> T call(String operation, String sha256, Call<T> call) throws IOException {
        String what = "S3 " + operation + (sha256 == null ? "" : " of blob " + sha256) + " in bucket "
                + config.bucket() + " at " + config.endpoint();
        try {
            return call.run();
        } catch (NoSuchKeyException e) {
            throw (NoSuchFileException) new NoSuchFileException(config.prefix() + sha256, null, what + ": no such blob")
                    .initCause(e);
        } catch (NoSuchBucketException e) {
            throw new IOException(what + " failed: the bucket does not exist", e);
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if (e.statusCode() == 404 && sha256 != null) {
                // HEAD responses have no body, so the SDK cannot tell NoSuchKey from other 404s by error code.
                throw (NoSuchFileException) new NoSuchFileException(config.prefix() + sha256, null,
                        what + ": no such blob").initCause(e);
            }
            if (e.statusCode() == 404) {
                throw new IOException(what + " failed: the bucket does not exist (HTTP 404)", e);
            }
            String hint = e.statusCode() == 403 ? "; check the access key, secret key and the bucket's policy" : "";
            String message = what + " failed: HTTP " + e.statusCode() + (code == null ? "" : " " + code)
                    + (e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null ? ""
                    : " (" + e.awsErrorDetails().errorMessage() + ")") + hint;
            if (e.statusCode() == 416) {
                throw new RangeNotSatisfiable(message, e);
            }
            throw new IOException(message, e);
        } catch (SdkClientException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw new IOException(what + " failed reading the source: " + u.getCause().getMessage(), u.getCause());
            }
            throw new IOException(what + " failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException(what + " failed: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new IOException(what + " failed reading the source: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public String toString() {
        return "S3BlobStore[" + config + "]";
    }
}
