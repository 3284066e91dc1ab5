package dev.tern.store.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Blob files for the {@link BlobStoreContract}: pseudo-random bytes written to disk in 64 KiB chunks, never held whole. */
public final class BlobSamples {

    /** A file on disk, its size and the SHA-256 of its bytes (the key it is stored under). */
    public record Sample(Path file, String sha256, long size) {
    }

    private BlobSamples() {
    }

    /** Writes {@code size} bytes derived from {@code seed} to a new file in {@code dir}. */
    public static Sample write(Path dir, long size, long seed) throws IOException {
        Path file = Files.createTempFile(dir, "blob-" + seed + "-", ".bin");
        MessageDigest digest = sha256();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] chunk = new byte[64 << 10];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; ) {
                int n = (int) Math.min(chunk.length, left);
                random.nextBytes(chunk);
                digest.update(chunk, 0, n);
                out.write(chunk, 0, n);
                left -= n;
            }
        }
        return new Sample(file, HexFormat.of().formatHex(digest.digest()), size);
    }

    /** The SHA-256 (hex) and length of everything {@code in} yields; closes it. */
    public static String sha256Of(InputStream in) throws IOException {
        MessageDigest digest = sha256();
        try (in) {
            byte[] buffer = new byte[64 << 10];
            for (int n; (n = in.read(buffer)) != -1; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    public static String sha256Of(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /** {@code length} bytes of {@code file} from {@code offset}, for comparing small ranges. */
    public static byte[] slice(Path file, long offset, int length) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(offset);
            return in.readNBytes(length);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Heap in use after a full collection: what is still reachable, not garbage waiting for the collector. */
    public static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        // A few rounds: one collection may leave objects that a finaliser-like cleaner frees for the next.
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }
}
