package dev.tern.blob.fs;

import dev.tern.store.testkit.BlobSamples;
import dev.tern.store.testkit.BlobSamples.Sample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the file-system store does on disk: the fan-out layout, temp files and what is left after a failure. */
class FsBlobStoreTest {

    @TempDir
    Path dir;

    @Test
    void blobsAreFannedOutByTheirFirstTwoBytesAndStoredVerbatim() throws IOException {
        Path root = dir.resolve("blobs");
        Sample s = BlobSamples.write(dir, 4_096, 1);
        try (FsBlobStore store = FsBlobStore.open(new FsBlobConfig(root))) {
            store.put(s.sha256(), s.file(), s.size());
        }
        String k = s.sha256();
        Path file = root.resolve(k.substring(0, 2)).resolve(k.substring(2, 4)).resolve(k);
        assertThat(file).exists().hasSameBinaryContentAs(s.file());
        assertThat(root.resolve(FsBlobStore.TEMP_DIR)).isEmptyDirectory();
    }

    @Test
    void aRefusedPutLeavesNoTempFileAndNoFanOutFile() throws IOException {
        Path root = dir.resolve("blobs");
        Sample s = BlobSamples.write(dir, 100_000, 2);
        String wrong = BlobSamples.sha256Of(new byte[] {1});
        try (FsBlobStore store = FsBlobStore.open(new FsBlobConfig(root))) {
            assertThatThrownBy(() -> store.put(wrong, s.file(), s.size())).hasMessageContaining("not stored");
            assertThatThrownBy(() -> store.put(s.sha256(), dir.resolve("absent"), 1)).isInstanceOf(IOException.class);
        }
        try (Stream<Path> all = Files.walk(root)) {
            assertThat(all.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void openDeletesTempFilesLeftByACrashOnceTheyAreStale() throws IOException {
        Path root = dir.resolve("blobs");
        Path temp = Files.createDirectories(root.resolve(FsBlobStore.TEMP_DIR));
        // What a process killed in the middle of a put leaves behind: a partial temp file.
        Path stale = Files.write(temp.resolve("a".repeat(64) + ".123.tmp"), new byte[1_000]);
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(FsBlobStore.STALE_TEMP).minusSeconds(60)));
        // One still being written by another process on the same directory.
        Path fresh = Files.write(temp.resolve("b".repeat(64) + ".456.tmp"), new byte[1_000]);

        try (FsBlobStore store = FsBlobStore.open(new FsBlobConfig(root))) {
            assertThat(stale).doesNotExist();
            assertThat(fresh).exists();
            assertThat(store.list("", 10)).as("a temp file is never a blob").isEmpty();
        }
    }

    @Test
    void listIgnoresFilesThatAreNotBlobs() throws IOException {
        Path root = dir.resolve("blobs");
        Sample s = BlobSamples.write(dir, 10, 3);
        try (FsBlobStore store = FsBlobStore.open(new FsBlobConfig(root))) {
            store.put(s.sha256(), s.file(), s.size());
            String k = s.sha256();
            Path fan = root.resolve(k.substring(0, 2)).resolve(k.substring(2, 4));
            Files.writeString(fan.resolve("notes.txt"), "x");
            Files.writeString(fan.resolve(k.toUpperCase()), "x");
            Files.createDirectories(root.resolve("zz"));
            Files.createDirectories(root.resolve("lost+found"));

            assertThat(store.list("", 10)).containsExactly(k);
        }
    }

    @Test
    void configMakesTheRootAbsolute() {
        assertThat(new FsBlobConfig(Path.of("data/blobs")).root()).isAbsolute();
        assertThatThrownBy(() -> new FsBlobConfig(null)).isInstanceOf(NullPointerException.class);
    }
}
