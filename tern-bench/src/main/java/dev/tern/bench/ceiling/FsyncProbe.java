package dev.tern.bench.ceiling;

import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How many fsyncs per second the disk under a directory takes: appends a block, then
 * {@code force(false)} (fdatasync), in a loop. Appending, like a write-ahead log does, makes every
 * sync also persist the new file size, so this is what a WAL commit costs rather than an overwrite.
 * A durable server's commit rate is bounded by this figure times its batch size.
 */
@Command(name = "fsync-probe", mixinStandardHelpOptions = true,
        description = "Measures append + fdatasync rate and latency in a directory.")
public final class FsyncProbe implements Callable<Integer> {

    /** Rate and latency of append + fdatasync. */
    public record Result(double fsyncsPerSec, long p50Micros, long p99Micros, long count) {
        public String toJson() {
            return String.format(Locale.ROOT, "{\"fsyncsPerSec\":%.1f,\"p50Micros\":%d,\"p99Micros\":%d,\"count\":%d}",
                    fsyncsPerSec, p50Micros, p99Micros, count);
        }
    }

    @Option(names = "--dir", required = true, description = "directory on the disk to probe")
    Path dir;

    @Option(names = "--seconds", defaultValue = "5", description = "how long to probe")
    int seconds;

    @Option(names = "--bytes", defaultValue = "4096", description = "bytes appended before each sync")
    int bytes;

    public static void main(String[] args) {
        System.exit(new CommandLine(new FsyncProbe()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        System.out.println(run(dir, Duration.ofSeconds(seconds), bytes).toJson());
        return 0;
    }

    /** Probes for {@code d} with a scratch file in {@code dir}, deleted afterwards. */
    public static Result run(Path dir, Duration d, int bytes) throws IOException {
        if (bytes < 1) {
            throw new IllegalArgumentException("bytes must be positive");
        }
        Files.createDirectories(dir);
        Path file = Files.createTempFile(dir, "fsync-probe-", ".dat");
        Histogram latency = new Histogram(60_000_000_000L, 3);
        byte[] block = new byte[bytes];
        // Random content, in case the filesystem or device compresses or deduplicates zeros.
        ThreadLocalRandom.current().nextBytes(block);
        ByteBuffer buf = ByteBuffer.allocateDirect(bytes);
        long start;
        long end;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            long deadline = System.nanoTime() + d.toNanos();
            start = System.nanoTime();
            long now = start;
            while (now < deadline) {
                buf.clear();
                buf.put(block).flip();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(false);
                long after = System.nanoTime();
                latency.recordValue(after - now);
                now = after;
            }
            end = now;
        } finally {
            Files.deleteIfExists(file);
        }
        long count = latency.getTotalCount();
        double elapsed = Math.max(1, end - start) / 1e9;
        return new Result(count / elapsed, latency.getValueAtPercentile(50) / 1000,
                latency.getValueAtPercentile(99) / 1000, count);
    }
}
