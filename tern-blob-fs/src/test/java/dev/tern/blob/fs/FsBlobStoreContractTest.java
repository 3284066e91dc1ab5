package dev.tern.blob.fs;

import dev.tern.core.media.BlobStore;
import dev.tern.store.testkit.BlobStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The blob store contract against a directory tree in a temporary directory. */
class FsBlobStoreContractTest implements BlobStoreContract {

    @TempDir
    Path dir;

    private Path root;
    private Path scratch;
    private FsBlobStore store;

    @BeforeEach
    void open() throws IOException {
        root = dir.resolve("blobs");
        scratch = Files.createDirectories(dir.resolve("scratch"));
        store = FsBlobStore.open(new FsBlobConfig(root));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    public BlobStore blobs() {
        return store;
    }

    @Override
    public BlobStore reopenBlobs() throws IOException {
        store.close();
        store = FsBlobStore.open(new FsBlobConfig(root));
        return store;
    }

    @Override
    public Path scratch() {
        return scratch;
    }
}
