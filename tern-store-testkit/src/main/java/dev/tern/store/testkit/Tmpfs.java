package dev.tern.store.testkit;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs of its own for a test that fills a disk: {@code mount -t tmpfs -o size=…}. Mounting needs
 * root (or CAP_SYS_ADMIN); where it is not permitted, {@link #mount} skips the test with an assumption
 * that says so instead of failing it.
 */
public final class Tmpfs implements AutoCloseable {
    private final Path dir;
    private final Path ballast;

    private Tmpfs(Path dir) {
        this.dir = dir;
        this.ballast = dir.resolve("ballast");
    }

    /** Mounts a tmpfs of {@code megabytes} on {@code dir} (created if needed), or skips the test. */
    public static Tmpfs mount(Path dir, int megabytes) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String outcome;
        try {
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs",
                    dir.toString()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes()).strip();
            outcome = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? null
                    : "exit " + (p.isAlive() ? "none (hung)" : p.exitValue()) + ": " + output;
        } catch (IOException e) {
            outcome = e.getMessage();
        }
        Assumptions.assumeTrue(outcome == null, "skipped: cannot mount a tmpfs to fill (needs root or CAP_SYS_ADMIN; "
                + "mount said " + outcome + ")");
        return new Tmpfs(dir);
    }

    public Path path() {
        return dir;
    }

    /** Bytes still free on the filesystem. */
    public long free() throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    /** Writes a ballast file until the filesystem is full; returns its size. */
    public long fill() throws IOException {
        byte[] chunk = new byte[64 << 10];
        try (OutputStream out = Files.newOutputStream(ballast)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
        return Files.size(ballast);
    }

    /** Deletes the ballast: the space comes back. */
    public void dropBallast() throws IOException {
        Files.deleteIfExists(ballast);
    }

    /** Lazy unmount, so that it succeeds even if a crashed test left a file open. */
    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("umount", "-l", dir.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }
}
