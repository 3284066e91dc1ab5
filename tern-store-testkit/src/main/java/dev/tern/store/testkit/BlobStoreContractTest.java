package dev.tern.store.testkit;

import dev.tern.core.blob.BlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the {@link BlobStoreContract} against a store: extend it and implement {@link #openBlobStore(Path)}.
 * Each test gets a new instance of the subclass, a fresh temporary directory and so a fresh store.
 */
public abstract class BlobStoreContractTest implements BlobStoreContract {

    @TempDir
    protected Path dir;

    private Path scratch;
    private BlobStore store;

    /**
     * Opens the store under test, empty on the first call of a test. Called again after {@link BlobStore#close()}
     * to test durability, so it must open the same storage and not wipe it.
     */
    protected abstract BlobStore openBlobStore(Path dir) throws IOException;

    @BeforeEach
    void openBlobStoreUnderTest() throws IOException {
        scratch = Files.createDirectories(dir.resolve("scratch"));
        store = openBlobStore(dir);
    }

    @AfterEach
    void closeBlobStoreUnderTest() {
        if (store != null) {
            store.close();
        }
    }

    @Override
    public BlobStore blobs() {
        return store;
    }

    @Override
    public BlobStore reopenBlobs() throws IOException {
        store.close();
        store = null;
        store = openBlobStore(dir);
        return store;
    }

    @Override
    public Path scratch() {
        return scratch;
    }
}
