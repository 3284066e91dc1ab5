package dev.tern.blob.s3;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.concurrent.atomic.AtomicInteger;

/** Test helpers around the shared {@link S3ProxyServer}: fresh buckets and a plain client to look behind the store. */
final class S3Fixture {
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private S3Fixture() {
    }

    /** A plain SDK client on the test server, for what the store does not do (creating buckets, raw reads). */
    static S3Client client() {
        return S3Client.builder()
                .endpointOverride(S3ProxyServer.shared().endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL)))
                .forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** Creates a new empty bucket and returns its name. */
    static String newBucket() {
        String bucket = "tern-test-" + BUCKETS.incrementAndGet();
        try (S3Client s3 = client()) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        return bucket;
    }

    static S3Config config(String bucket, String prefix) {
        return new S3Config(S3ProxyServer.shared().endpoint(), "us-east-1", bucket, prefix,
                S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL);
    }
}
