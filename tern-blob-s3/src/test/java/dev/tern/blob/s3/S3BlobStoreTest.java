package dev.tern.blob.s3;

import dev.tern.store.testkit.BlobSamples;
import dev.tern.store.testkit.BlobSamples.Sample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the S3 store does in the bucket, and how it reports a wrong setting, against the S3Proxy test server. */
class S3BlobStoreTest {

    @TempDir
    Path dir;

    @Test
    void blobsAreObjectsUnderThePrefixAndOtherObjectsAreIgnored() throws IOException {
        String bucket = S3Fixture.newBucket();
        Sample s = BlobSamples.write(dir, 5_000, 1);
        try (S3Client raw = S3Fixture.client();
             S3BlobStore store = S3BlobStore.open(S3Fixture.config(bucket, "media"))) {
            // Neighbours a shared bucket may hold: another prefix, and a non-key object under ours.
            raw.putObject(b -> b.bucket(bucket).key("other/" + "e".repeat(64)), RequestBody.fromString("x"));
            raw.putObject(b -> b.bucket(bucket).key("media/README"), RequestBody.fromString("x"));
            raw.putObject(b -> b.bucket(bucket).key("media/" + "f".repeat(63)), RequestBody.fromString("x"));

            store.put(s.sha256(), s.file(), s.size());

            assertThat(raw.getObjectAsBytes(b -> b.bucket(bucket).key("media/" + s.sha256())).asByteArray())
                    .isEqualTo(BlobSamples.slice(s.file(), 0, 5_000));
            assertThat(store.list("", 10)).containsExactly(s.sha256());
        }
    }

    @Test
    void aFileAboveTheThresholdGoesAsAMultipartUploadAndLeavesNoUploadOpen() throws IOException {
        String bucket = S3Fixture.newBucket();
        long size = S3BlobStore.MULTIPART_THRESHOLD + 3 * S3BlobStore.PART_SIZE / 2;
        Sample s = BlobSamples.write(dir, size, 2);
        try (S3Client raw = S3Fixture.client();
             S3BlobStore store = S3BlobStore.open(S3Fixture.config(bucket, ""))) {
            store.put(s.sha256(), s.file(), s.size());

            S3Object object = raw.listObjectsV2(b -> b.bucket(bucket)).contents().getFirst();
            long parts = (size + S3BlobStore.PART_SIZE - 1) / S3BlobStore.PART_SIZE;
            // A multipart object's ETag is "md5-of-part-md5s-<parts>"; a single PUT's has no dash.
            assertThat(object.eTag()).endsWith("-" + parts + "\"");
            assertThat(object.size()).isEqualTo(size);
            assertThat(BlobSamples.sha256Of(store.open(s.sha256(), 0, -1))).isEqualTo(s.sha256());
            assertThat(raw.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
        }
    }

    @Test
    void wrongSettingsFailAtOpenWithMessagesThatSayWhy() throws IOException {
        URI endpoint = S3ProxyServer.shared().endpoint();
        assertThatThrownBy(() -> S3BlobStore.open(S3Fixture.config("no-such-bucket", "")))
                .isInstanceOf(IOException.class).hasMessageContaining("no-such-bucket")
                .hasMessageContaining("does not exist");

        String bucket = S3Fixture.newBucket();
        S3Config wrongSecret = new S3Config(endpoint, "us-east-1", bucket, "", S3ProxyServer.IDENTITY, "wrong");
        assertThatThrownBy(() -> S3BlobStore.open(wrongSecret))
                .isInstanceOf(IOException.class).hasMessageContaining("HTTP 403").hasMessageContaining(bucket);

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        S3Config nobody = new S3Config(URI.create("http://127.0.0.1:" + closedPort), "us-east-1", bucket, "",
                "a", "b");
        assertThatThrownBy(() -> S3BlobStore.open(nobody))
                .isInstanceOf(IOException.class).hasMessageContaining("127.0.0.1:" + closedPort);
    }

    @Test
    void configIsValidatedAndHidesTheSecret() {
        URI endpoint = URI.create("https://s3.example.org");
        S3Config config = new S3Config(endpoint, "eu-west-1", "tern-media", "prod", "AKIAEXAMPLE", "s3cr3t-value");
        assertThat(config.prefix()).isEqualTo("prod/");
        assertThat(new S3Config(endpoint, "eu-west-1", "tern-media", null, "a", "b").prefix()).isEmpty();
        assertThat(config.toString()).contains("AKIAEXAMPLE").doesNotContain("s3cr3t-value");

        assertThatThrownBy(() -> new S3Config(URI.create("s3.example.org"), "r", "tern-media", "", "a", "b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("endpoint");
        assertThatThrownBy(() -> new S3Config(URI.create("ftp://host"), "r", "tern-media", "", "a", "b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("endpoint");
        assertThatThrownBy(() -> new S3Config(endpoint, " ", "tern-media", "", "a", "b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("region");
        assertThatThrownBy(() -> new S3Config(endpoint, "r", "Tern_Media", "", "a", "b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bucket");
        assertThatThrownBy(() -> new S3Config(endpoint, "r", "tern-media", "/abs", "a", "b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix");
        assertThatThrownBy(() -> new S3Config(endpoint, "r", "tern-media", "", "a", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secret");
    }
}
