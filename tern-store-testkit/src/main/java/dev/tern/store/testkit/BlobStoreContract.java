package dev.tern.store.testkit;

import dev.tern.core.blob.BlobStore;
import dev.tern.store.testkit.BlobSamples.Sample;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.tern.store.testkit.BlobSamples.sha256Of;
import static dev.tern.store.testkit.BlobSamples.slice;
import static dev.tern.store.testkit.BlobSamples.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract every {@link BlobStore} implementation must pass. Extend {@link BlobStoreContractTest}, or implement it in a test class whose
 * {@link #blobs()} is a fresh, empty store for each test; JUnit runs every test below against it. The
 * tests use the port only, through real files in {@link #scratch()}.
 */
public interface BlobStoreContract {

    /** The open store under test: empty at the start of each test. */
    BlobStore blobs();

    /** Closes the store under test and opens it again on the same storage; returns the new one. */
    BlobStore reopenBlobs() throws IOException;

    /** A directory for source files, outside the store. */
    Path scratch();

    /** Size of the large blob test: well above what the store could hold in the test JVM's heap. */
    default long largeBlobSize() {
        return 160L << 20;
    }

    String MISSING = "0".repeat(63) + "1";

    @Test
    default void putThenSizeAndWholeRead() throws IOException {
        Sample s = write(scratch(), 100_000, 1);
        blobs().put(s.sha256(), s.file(), s.size());

        assertThat(blobs().size(s.sha256())).isEqualTo(100_000);
        assertThat(sha256Of(blobs().open(s.sha256(), 0, -1))).isEqualTo(s.sha256());
        assertThat(sha256Of(blobs().open(s.sha256(), 0, 100_000))).isEqualTo(s.sha256());
        assertThat(Files.exists(s.file())).as("the source is the caller's, left in place").isTrue();
    }

    @Test
    default void rangesReadExactlyTheirBytes() throws IOException {
        Sample s = write(scratch(), 10_000, 2);
        blobs().put(s.sha256(), s.file(), s.size());
        String k = s.sha256();

        assertThat(read(k, 0, 1)).as("first byte").isEqualTo(slice(s.file(), 0, 1));
        assertThat(read(k, 9_999, 1)).as("last byte").isEqualTo(slice(s.file(), 9_999, 1));
        assertThat(read(k, 4_321, 1_000)).as("middle").isEqualTo(slice(s.file(), 4_321, 1_000));
        assertThat(read(k, 9_000, -1)).as("to the end").isEqualTo(slice(s.file(), 9_000, 1_000));
        assertThat(read(k, 9_500, 5_000)).as("length past the end stops at the end")
                .isEqualTo(slice(s.file(), 9_500, 500));
        assertThat(read(k, 10_000, -1)).as("offset at the end").isEmpty();
        assertThat(read(k, 10_000, 10)).as("offset at the end, with a length").isEmpty();
        assertThat(read(k, 20_000, 10)).as("offset past the end").isEmpty();
        assertThat(read(k, 5, 0)).as("zero length").isEmpty();
    }

    @Test
    default void anEmptyBlobRoundTrips() throws IOException {
        Sample s = write(scratch(), 0, 3);
        blobs().put(s.sha256(), s.file(), 0);

        assertThat(blobs().size(s.sha256())).isZero();
        assertThat(read(s.sha256(), 0, -1)).isEmpty();
        assertThat(blobs().list("", 10)).containsExactly(s.sha256());
    }

    @Test
    default void putOfAnExistingKeyIsANoOp() throws IOException {
        Sample s = write(scratch(), 5_000, 4);
        blobs().put(s.sha256(), s.file(), s.size());
        Sample copy = write(scratch(), 5_000, 4);
        blobs().put(copy.sha256(), copy.file(), copy.size());

        assertThat(blobs().list("", 10)).containsExactly(s.sha256());
        assertThat(sha256Of(blobs().open(s.sha256(), 0, -1))).isEqualTo(s.sha256());
    }

    @Test
    default void concurrentPutsOfOneKeyStoreItOnce() throws Exception {
        Sample s = write(scratch(), 300_000, 5);
        int threads = 6;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> puts = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                // Each thread has a source file of its own, as concurrent uploads of one file would.
                Sample mine = write(scratch(), 300_000, 5);
                puts.add(pool.submit(() -> {
                    start.await();
                    blobs().put(mine.sha256(), mine.file(), mine.size());
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> put : puts) {
                put.get();
            }
        }
        assertThat(blobs().size(s.sha256())).isEqualTo(300_000);
        assertThat(sha256Of(blobs().open(s.sha256(), 0, -1))).isEqualTo(s.sha256());
        assertThat(blobs().list("", 10)).containsExactly(s.sha256());
    }

    @Test
    default void aSourceThatDoesNotHashToTheKeyIsRefusedAndNothingStored() throws IOException {
        Sample s = write(scratch(), 70_000, 6);
        Sample other = write(scratch(), 70_000, 7);

        assertThatThrownBy(() -> blobs().put(other.sha256(), s.file(), s.size()))
                .isInstanceOf(IOException.class).hasMessageContaining(other.sha256());
        assertThatThrownBy(() -> blobs().put(s.sha256(), s.file(), s.size() + 1))
                .as("a size that is not the file's").isInstanceOf(IOException.class);

        assertThat(blobs().size(other.sha256())).isEqualTo(-1);
        assertThat(blobs().size(s.sha256())).isEqualTo(-1);
        assertThat(blobs().list("", 10)).isEmpty();
        assertThatThrownBy(() -> blobs().open(other.sha256(), 0, -1)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    default void deleteRemovesAndDeletingAMissingBlobIsNoError() throws IOException {
        Sample a = write(scratch(), 1_000, 8);
        Sample b = write(scratch(), 1_000, 9);
        blobs().put(a.sha256(), a.file(), a.size());
        blobs().put(b.sha256(), b.file(), b.size());

        blobs().delete(a.sha256());
        blobs().delete(a.sha256());
        blobs().delete(MISSING);

        assertThat(blobs().size(a.sha256())).isEqualTo(-1);
        assertThatThrownBy(() -> blobs().open(a.sha256(), 0, -1)).isInstanceOf(NoSuchFileException.class);
        assertThat(blobs().list("", 10)).containsExactly(b.sha256());
        blobs().put(a.sha256(), a.file(), a.size());
        assertThat(blobs().size(a.sha256())).as("a deleted key can be stored again").isEqualTo(1_000);
    }

    @Test
    default void listPagesThroughKeysInOrder() throws IOException {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            Sample s = write(scratch(), 10 + i, 100 + i);
            blobs().put(s.sha256(), s.file(), s.size());
            keys.add(s.sha256());
        }
        keys.sort(null);

        List<String> paged = new ArrayList<>();
        String after = "";
        for (List<String> page; !(page = blobs().list(after, 5)).isEmpty(); after = page.getLast()) {
            assertThat(page.size()).isLessThanOrEqualTo(5);
            paged.addAll(page);
        }
        assertThat(paged).isEqualTo(keys);
        assertThat(blobs().list(keys.get(10), 3)).isEqualTo(keys.subList(11, 14));
        assertThat(blobs().list(keys.getLast(), 3)).isEmpty();
        assertThat(blobs().list("", 0)).isEmpty();
        assertThat(blobs().list("", 100)).isEqualTo(keys);
        // A bound that is not itself a key: everything above it.
        String mid = keys.get(7).substring(0, 10);
        assertThat(blobs().list(mid, 100)).isEqualTo(keys.stream().filter(k -> k.compareTo(mid) > 0).toList());
    }

    @Test
    default void openAndSizeOfAMissingBlob() throws IOException {
        assertThat(blobs().size(MISSING)).isEqualTo(-1);
        assertThatThrownBy(() -> blobs().open(MISSING, 0, -1)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> blobs().open(MISSING, 10, 1)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    default void malformedKeysAreRefused() {
        Path file = scratch();
        for (String bad : List.of("", "../../etc/passwd", "A".repeat(64), "g".repeat(64), MISSING + "0", MISSING.substring(1))) {
            assertThatThrownBy(() -> blobs().put(bad, file, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> blobs().size(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> blobs().open(bad, 0, -1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> blobs().delete(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    default void blobsSurviveACloseAndReopen() throws IOException {
        Sample s = write(scratch(), 20_000, 10);
        blobs().put(s.sha256(), s.file(), s.size());

        BlobStore reopened = reopenBlobs();

        assertThat(reopened.size(s.sha256())).isEqualTo(20_000);
        assertThat(sha256Of(reopened.open(s.sha256(), 0, -1))).isEqualTo(s.sha256());
        assertThat(reopened.list("", 10)).containsExactly(s.sha256());
    }

    /**
     * A blob far larger than the test JVM can spare round-trips with the right hash, and neither a finished
     * put nor an open, half-read stream holds on to its bytes.
     */
    @Test
    default void aLargeBlobStreamsThroughWithoutFillingTheHeap() throws IOException {
        long size = largeBlobSize();
        Sample s = write(scratch(), size, 11);
        long before = BlobSamples.usedHeapAfterGc();

        blobs().put(s.sha256(), s.file(), s.size());
        long afterPut = BlobSamples.usedHeapAfterGc();
        assertThat(blobs().size(s.sha256())).isEqualTo(size);

        var digest = BlobSamples.sha256();
        long midRead;
        try (InputStream in = blobs().open(s.sha256(), 0, -1)) {
            byte[] buffer = new byte[64 << 10];
            long read = 0;
            for (int n; read < size / 2 && (n = in.read(buffer)) != -1; read += n) {
                digest.update(buffer, 0, n);
            }
            midRead = BlobSamples.usedHeapAfterGc();
            for (int n; (n = in.read(buffer)) != -1; ) {
                digest.update(buffer, 0, n);
            }
        }
        assertThat(java.util.HexFormat.of().formatHex(digest.digest())).isEqualTo(s.sha256());
        long growth = Math.max(afterPut, midRead) - before;
        System.out.printf("large blob: %d MiB; heap used after GC: before %.1f MiB, after put %.1f MiB, "
                + "mid-read %.1f MiB; max growth %.1f MiB%n", size >> 20, mib(before), mib(afterPut), mib(midRead),
                mib(growth));
        assertThat(growth).as("heap growth (bytes) while a %d MiB blob is stored and read", size >> 20)
                .isLessThan(size / 8);
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }

    private byte[] read(String key, long offset, long length) throws IOException {
        try (InputStream in = blobs().open(key, offset, length)) {
            return in.readAllBytes();
        }
    }
}
