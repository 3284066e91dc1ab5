package dev.tern.blob.fs;

import dev.tern.core.blob.BlobStore;
import dev.tern.core.blob.FileRangeInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Blobs as files in a directory tree, fanned out by the first two bytes of the key
 * ({@code ab/cd/abcd…}) so that no directory grows past 65,536 × a few entries. Layout and invariants:
 * {@link dev.tern.blob.fs package-info}. Thread-safe; every method blocks on disk I/O.
 */
public final class FsBlobStore implements BlobStore {

    /** Temp files older than this are left over from a crash and deleted at open. */
    public static final Duration STALE_TEMP = Duration.ofHours(1);

    static final String TEMP_DIR = ".tmp";
    private static final int BUFFER = 64 << 10;

    private final Path root;
    private final Path temp;
    private volatile boolean closed;

    private FsBlobStore(Path root) {
        this.root = root;
        this.temp = root.resolve(TEMP_DIR);
    }

    /** Opens (creating when missing) the store at {@code config.root()} and deletes stale temp files. */
    public static FsBlobStore open(FsBlobConfig config) throws IOException {
        FsBlobStore store = new FsBlobStore(config.root());
        Files.createDirectories(store.temp);
        store.deleteTempFilesOlderThan(Instant.now().minus(STALE_TEMP));
        return store;
    }

    /** Deletes temp files last modified before {@code cutoff}; returns how many. */
    int deleteTempFilesOlderThan(Instant cutoff) throws IOException {
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(temp)) {
            for (Path file : files) {
                try {
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff) && Files.deleteIfExists(file)) {
                        deleted++;
                    }
                } catch (NoSuchFileException gone) {
                    // finished or cleaned by someone else meanwhile
                }
            }
        }
        return deleted;
    }

    @Override
    public void put(String sha256, Path source, long size) throws IOException {
        Path target = path(sha256);
        if (Files.exists(target)) {
            return;
        }
        Path tmp = Files.createTempFile(temp, sha256 + ".", ".tmp");
        boolean stored = false;
        try {
            copyVerified(sha256, source, size, tmp);
            Path dir = target.getParent();
            ensureDirectory(dir);
            try {
                // rename(2): atomic, and it replaces a target that a racing put renamed first — with the
                // same bytes, since the name is their hash.
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException racedAndLost) {
                // Only where the platform refuses to replace; the blob is there, which is all a put promises.
            }
            stored = true;
            fsyncDirectory(dir);
        } finally {
            if (!stored) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Renames the caller's file into place when it is on this store's file system (no copy, no second
     * hash: the caller hashed it as it wrote it); copies like {@link #put} otherwise.
     */
    @Override
    public void adopt(String sha256, Path source, long size) throws IOException {
        Path target = path(sha256);
        if (Files.exists(target)) {
            Files.deleteIfExists(source);
            return;
        }
        if (Files.size(source) != size) {
            throw new IOException("blob " + sha256 + ": source " + source + " is not " + size + " bytes");
        }
        Path dir = target.getParent();
        ensureDirectory(dir);
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
            fsyncDirectory(dir);
        } catch (java.nio.file.AtomicMoveNotSupportedException otherFileSystem) {
            put(sha256, source, size);
            Files.deleteIfExists(source);
        }
    }

    /** Copies {@code source} to {@code tmp} while hashing it, checks size and hash, and fsyncs {@code tmp}. */
    private static void copyVerified(String sha256, Path source, long size, Path tmp) throws IOException {
        MessageDigest digest = sha256();
        long copied = 0;
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
            while (in.read(buffer) != -1) {
                buffer.flip();
                digest.update(buffer.array(), 0, buffer.limit());
                copied += buffer.limit();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                buffer.clear();
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (copied != size) {
                throw new IOException("blob " + sha256 + ": source " + source + " has " + copied
                        + " bytes, expected " + size + "; not stored");
            }
            if (!actual.equals(sha256)) {
                throw new IOException("blob " + sha256 + ": source " + source + " hashes to " + actual
                        + "; not stored");
            }
            // Data and metadata on disk before the rename makes the name visible.
            out.force(true);
        }
    }

    /** Creates {@code dir} (a fan-out directory) if needed, fsyncing each parent that gained an entry. */
    private void ensureDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (!parent.equals(root)) {
            ensureDirectory(parent);
        }
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException raced) {
            return;
        }
        // Without this a power cut could lose the new directory, and the blob renamed into it.
        fsyncDirectory(parent);
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public long size(String sha256) throws IOException {
        try {
            return Files.size(path(sha256));
        } catch (NoSuchFileException e) {
            return -1;
        }
    }

    @Override
    public InputStream open(String sha256, long offset, long length) throws IOException {
        Path file = path(sha256);
        try {
            return FileRangeInputStream.open(file, offset, length);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no blob " + sha256);
        }
    }

    @Override
    public void delete(String sha256) throws IOException {
        // No directory fsync: a delete lost to a power cut leaves a blob that nothing references, which the
        // next delete (or a sweep of unreferenced blobs) removes; it cannot expose wrong bytes.
        Files.deleteIfExists(path(sha256));
    }

    @Override
    public List<String> list(String after, int limit) throws IOException {
        Objects.requireNonNull(after, "after");
        if (limit < 0) {
            throw new IllegalArgumentException("limit " + limit);
        }
        checkOpen();
        List<String> keys = new ArrayList<>(Math.min(limit, 1024));
        for (String d1 : fanOut(root, "", after)) {
            for (String d2 : fanOut(root.resolve(d1), d1, after)) {
                if (keys.size() >= limit) {
                    return keys;
                }
                for (String key : sortedNames(root.resolve(d1).resolve(d2))) {
                    if (keys.size() >= limit) {
                        return keys;
                    }
                    if (BlobStore.validKey(key) && key.startsWith(d1 + d2) && key.compareTo(after) > 0) {
                        keys.add(key);
                    }
                }
            }
            if (keys.size() >= limit) {
                break;
            }
        }
        return keys;
    }

    /**
     * The fan-out subdirectories of {@code dir} (two hex characters each, in order) that can hold a key greater
     * than {@code after}: the largest key under {@code prefix + name} is that prefix padded with 'f'.
     */
    private static List<String> fanOut(Path dir, String prefix, String after) throws IOException {
        List<String> names = new ArrayList<>();
        for (String name : sortedNames(dir)) {
            if (isHexPair(name) && (prefix + name + "f".repeat(62 - prefix.length())).compareTo(after) > 0) {
                names.add(name);
            }
        }
        return names;
    }

    private static boolean isHexPair(String name) {
        return name.length() == 2 && HexFormat.isHexDigit(name.charAt(0)) && HexFormat.isHexDigit(name.charAt(1))
                && name.equals(name.toLowerCase(Locale.ROOT));
    }

    private static List<String> sortedNames(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                names.add(entry.getFileName().toString());
            }
        } catch (NoSuchFileException e) {
            return names;
        }
        names.sort(null);
        return names;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Where blob {@code sha256} lives; refuses malformed keys, so a key can never name a path outside the root. */
    Path path(String sha256) {
        if (!BlobStore.validKey(sha256)) {
            throw new IllegalArgumentException("not a blob key (64 lower-case hex characters): " + sha256);
        }
        checkOpen();
        return root.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("blob store closed");
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "FsBlobStore[" + root + "]";
    }
}
