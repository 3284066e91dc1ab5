package dev.tern.blob.fs;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where {@link FsBlobStore} keeps its blobs: {@code root} (the server passes {@code <data dir>/blobs}). The
 * directory is created at open when missing; its parent must exist or be creatable.
 */
public record FsBlobConfig(Path root) {

    public FsBlobConfig {
        Objects.requireNonNull(root, "root");
        // Absolute, so that a later change of working directory cannot move the store.
        root = root.toAbsolutePath().normalize();
    }
}
