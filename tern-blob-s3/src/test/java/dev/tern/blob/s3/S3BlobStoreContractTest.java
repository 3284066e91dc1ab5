package dev.tern.blob.s3;

import dev.tern.core.blob.BlobStore;
import dev.tern.store.testkit.BlobStoreContractTest;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The blob store contract against a real S3-compatible server (S3Proxy in a child process on loopback): a new
 * bucket for each test, and a key prefix, as a deployment sharing a bucket would have.
 */
class S3BlobStoreContractTest extends BlobStoreContractTest {

    private S3Config config;

    @Override
    protected BlobStore openBlobStore(Path dir) throws IOException {
        if (config == null) {
            config = S3Fixture.config(S3Fixture.newBucket(), "tern/blobs/");
        }
        return S3BlobStore.open(config);
    }
}
