package dev.tern.core.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The file-storage port: immutable blobs named by the SHA-256 of their bytes (64 lower-case hex
 * characters). Implementations: a directory tree on the local disk (default) and S3-compatible
 * object storage. Every method may block; callers run them on virtual threads, never on an event
 * loop.
 *
 * <p>Invariants every implementation keeps (checked by the shared contract tests):
 * <ul>
 *   <li>{@link #put} is atomic: a reader sees either no blob or all of it, never a part, even if
 *       the process dies during the put.</li>
 *   <li>{@link #put} of a key that exists is a no-op (content addressing: same key, same bytes),
 *       so concurrent uploads of one file store it once.</li>
 *   <li>{@link #put} does not trust the key: it refuses (IOException) a source whose bytes do not
 *       hash to it, so a bug upstream cannot store bytes under another file's name.</li>
 *   <li>Nothing is ever held whole in memory: bytes stream from and to files and sockets.</li>
 *   <li>A malformed key (see {@link #validKey}) is an {@link IllegalArgumentException}, never a
 *       path or object name.</li>
 * </ul>
 */
public interface BlobStore extends AutoCloseable {

    /** Stores the file {@code source} ({@code size} bytes) as blob {@code sha256}; a no-op when it exists. */
    void put(String sha256, Path source, long size) throws IOException;

    /**
     * Stores {@code source} as blob {@code sha256} when the caller hashed the file itself while
     * writing it (and forced it to disk) and gives it away: a store on the same file system may move
     * it into place instead of copying and hashing it again. Afterwards the source is gone either
     * way. The default copies ({@link #put}) and deletes the source.
     */
    default void adopt(String sha256, Path source, long size) throws IOException {
        put(sha256, source, size);
        java.nio.file.Files.deleteIfExists(source);
    }

    /** The blob's size in bytes, or -1 when there is no such blob. */
    long size(String sha256) throws IOException;

    /**
     * The bytes {@code [offset, offset + length)} of the blob ({@code length} -1: to the end).
     * A range that starts at or past the end is empty; one that runs past the end stops there.
     * Throws {@link java.nio.file.NoSuchFileException} when there is no such blob. The caller closes
     * the stream.
     */
    InputStream open(String sha256, long offset, long length) throws IOException;

    /** Removes the blob; removing one that does not exist is not an error. */
    void delete(String sha256) throws IOException;

    /** Keys greater than {@code after} ("" for the first page), in ascending order, at most {@code limit}. */
    List<String> list(String after, int limit) throws IOException;

    @Override
    void close();

    /** True for a well-formed key: 64 lower-case hex characters. */
    static boolean validKey(String sha256) {
        if (sha256 == null || sha256.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = sha256.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
