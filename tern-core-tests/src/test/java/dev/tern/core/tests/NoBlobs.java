package dev.tern.core.tests;

import dev.tern.core.blob.BlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** A blob store with nothing in it: these tests send no media, so nothing may reach it. */
final class NoBlobs implements BlobStore {
    @Override
    public void put(String sha256, Path source, long size) throws IOException {
        throw new IOException("no blobs in the core's unit tests");
    }

    @Override
    public long size(String sha256) {
        return -1;
    }

    @Override
    public InputStream open(String sha256, long offset, long length) throws IOException {
        throw new NoSuchFileException(sha256);
    }

    @Override
    public void delete(String sha256) {
    }

    @Override
    public List<String> list(String after, int limit) {
        return List.of();
    }

    @Override
    public void close() {
    }
}
