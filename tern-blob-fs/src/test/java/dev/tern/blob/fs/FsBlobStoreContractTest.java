package dev.tern.blob.fs;

import dev.tern.core.blob.BlobStore;
import dev.tern.store.testkit.BlobStoreContractTest;

import java.io.IOException;
import java.nio.file.Path;

/** The blob store contract against a directory tree in a temporary directory. */
class FsBlobStoreContractTest extends BlobStoreContractTest {

    @Override
    protected BlobStore openBlobStore(Path dir) throws IOException {
        return FsBlobStore.open(new FsBlobConfig(dir.resolve("blobs")));
    }
}
