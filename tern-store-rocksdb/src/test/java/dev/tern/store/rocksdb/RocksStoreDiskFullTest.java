package dev.tern.store.rocksdb;

import dev.tern.core.store.BodyKind;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.StoreException;
import dev.tern.core.store.UpdateKind;
import dev.tern.core.store.UpdateRecord;
import dev.tern.store.testkit.Samples;
import dev.tern.store.testkit.Tmpfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A full disk (a real tmpfs, filled): writes fail with a "disk full" error, reads go on, and once the
 * space returns writes resume by themselves, on the same open store (RocksDB's recovery, see
 * {@link WriteHealth}); nothing written before is lost, also after reopening.
 */
class RocksStoreDiskFullTest {
    private static final byte[] BODY = Samples.randomBytes(32 << 10, 7);

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void writesStopWhenTheDiskIsFullAndResumeByThemselvesWhenSpaceReturns() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), 32)) {
            // 1 MiB write buffers: RocksDB resumes once that much is free.
            RocksStoreConfig config = new RocksStoreConfig(disk.path().resolve("data"), 8L << 20, 1L << 20);
            long written = 0;
            try (RocksStore store = RocksStore.open(config)) {
                disk.fill();
                StoreException full = null;
                while (full == null) { // the WAL's preallocated space takes a few writes first
                    try {
                        store.write(batch(written + 1));
                        written++;
                    } catch (StoreException e) {
                        full = e;
                    }
                    assertThat(written).as("writes on a full disk").isLessThan(1_000);
                }
                assertThat(full).hasMessageContaining("disk full")
                        .hasMessageContaining("writes resume by themselves within ~5 s once 1.0 MiB are free");
                assertThat(store.writable()).isFalse();
                long before = written;
                assertThatThrownBy(() -> store.write(batch(before + 1))).isInstanceOf(StoreException.class);

                // Reads go on while writes are refused.
                assertThat(store.lastSeq(1)).isEqualTo(written);
                assertThat(store.updatesAfter(1, 0, 10_000)).hasSize((int) written);
                assertThat(store.message(1, written)).get().extracting(MessageRecord::body).isEqualTo(BODY);

                disk.dropBallast();
                long freed = System.nanoTime();
                long deadline = freed + Duration.ofSeconds(30).toNanos();
                while (!tryWrite(store, before + 1)) {
                    assertThat(System.nanoTime() - deadline).as("writes resumed within 30 s").isNegative();
                    Thread.sleep(100);
                }
                System.out.printf("writes resumed %d ms after the space returned%n", (System.nanoTime() - freed) / 1_000_000);
                assertThat(store.writable()).isTrue();
                written++;
                for (int i = 0; i < 20; i++) {
                    store.write(batch(++written));
                }
            }
            try (RocksStore again = RocksStore.open(config)) {
                assertThat(again.lastSeq(1)).isEqualTo(written);
                assertThat(again.updatesAfter(1, 0, 10_000)).extracting(UpdateRecord::pts)
                        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, written).boxed().toList());
                for (long seq = 1; seq <= written; seq++) {
                    assertThat(again.message(1, seq)).get().extracting(MessageRecord::body).isEqualTo(BODY);
                }
            }
        }
    }

    private static boolean tryWrite(RocksStore store, long seq) {
        try {
            store.write(batch(seq));
            return true;
        } catch (StoreException stillFull) {
            return false;
        }
    }

    private static List<Mutation> batch(long seq) {
        return List.of(new MessageRecord(1, seq, 2, "sender", 3, "c" + seq, "text/plain", BodyKind.TEXT, BODY, seq),
                new UpdateRecord(1, seq, seq - 1, UpdateKind.MESSAGE, 1, seq, 2));
    }
}
