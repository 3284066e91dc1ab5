package dev.tern.store.rocksdb;

import dev.tern.core.store.UpdateKind;
import dev.tern.core.store.UpdateRecord;
import dev.tern.store.testkit.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A process that dies without closing the store loses nothing it was told is written: recovery
 * replays the WAL. (The contract test's reopen goes through close(), which syncs the WAL itself, so
 * it cannot show this.) A power cut is not simulated; that part rests on the synced WAL write.
 */
class RocksStoreCrashTest {

    static final int BATCHES = 50;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void acknowledgedWritesSurviveAProcessThatHalts() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), CrashingWriter.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes());
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isEqualTo(42);

        try (RocksStore store = RocksStore.open(new RocksStoreConfig(dir, 8L << 20, 1L << 20))) {
            assertThat(store.lastSeq(1)).isEqualTo(BATCHES);
            assertThat(store.lastPts(1)).isEqualTo(BATCHES);
            assertThat(store.message(1, BATCHES)).get().usingRecursiveComparison()
                    .isEqualTo(Samples.message(1, BATCHES));
            assertThat(store.updatesAfter(1, 0, 1000)).hasSize(BATCHES);
        }
    }

    /** Writes, then halts: no close, no shutdown hooks, no finalization of native objects. */
    public static final class CrashingWriter {
        public static void main(String[] args) {
            RocksStore store = RocksStore.open(new RocksStoreConfig(Path.of(args[0]), 8L << 20, 1L << 20));
            for (long i = 1; i <= BATCHES; i++) {
                store.write(List.of(Samples.message(1, i), new UpdateRecord(1, i, i - 1, UpdateKind.MESSAGE, 1, i, 2)));
            }
            Runtime.getRuntime().halt(42);
        }
    }
}
