package dev.tern.blob.s3;

import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where and as whom {@link S3BlobStore} stores blobs.
 *
 * @param endpoint  the service's base URL, e.g. {@code https://s3.eu-west-1.amazonaws.com},
 *                  {@code http://127.0.0.1:9000} for MinIO or another S3-compatible server; requests use
 *                  path-style addressing ({@code endpoint/bucket/key}), which every such server supports
 * @param region    the signing region ({@code us-east-1} where the server does not care)
 * @param bucket    an existing bucket; Tern does not create it
 * @param prefix    prepended to every key, so one bucket can hold other data or several deployments;
 *                  "" or a path ending in {@code /} (one is appended when missing)
 * @param accessKey the access key id
 * @param secretKey the secret access key; never shown by {@link #toString()}
 */
public record S3Config(URI endpoint, String region, String bucket, String prefix, String accessKey, String secretKey) {

    // S3's bucket naming rules (lower case, digits, dots, hyphens; 3 to 63; starts and ends alphanumeric).
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public S3Config {
        Objects.requireNonNull(endpoint, "endpoint");
        if (!endpoint.isAbsolute() || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))
                || endpoint.getHost() == null) {
            throw new IllegalArgumentException("s3 endpoint must be an http:// or https:// URL with a host: " + endpoint);
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("s3 region is required (us-east-1 where the server ignores it)");
        }
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("s3 bucket must be 3-63 lower-case letters, digits, dots or hyphens: "
                    + bucket);
        }
        prefix = prefix == null ? "" : prefix;
        if (prefix.startsWith("/")) {
            throw new IllegalArgumentException("s3 prefix must not start with '/': " + prefix);
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("s3 access key and secret key are both required");
        }
    }

    @Override
    public String toString() {
        return "S3Config[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", prefix=" + prefix
                + ", accessKey=" + accessKey + ", secretKey=***]";
    }
}
