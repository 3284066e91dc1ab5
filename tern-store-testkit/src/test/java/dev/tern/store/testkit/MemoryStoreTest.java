package dev.tern.store.testkit;

import dev.tern.core.store.StoreException;
import dev.tern.core.store.UserRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.tern.store.testkit.Samples.message;
import static dev.tern.store.testkit.Samples.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What MemoryStore offers tests beyond the port: refusing writes on demand and counting what it stored. */
class MemoryStoreTest {

    @TempDir
    Path dir;

    @Test
    void refusedWritesThrowStoreExceptionLeaveNothingAndReadinessSaysSo() {
        try (MemoryStore store = new MemoryStore()) {
            store.write(List.of(message(5, 1)));
            store.refuseWrites("disk full (test)");

            assertThat(store.writable()).isFalse();
            assertThatThrownBy(() -> store.write(List.of(message(5, 2), update(1, 1, 0))))
                    .isInstanceOf(StoreException.class).hasMessageContaining("disk full (test)");
            assertThat(store.lastSeq(5)).as("reads go on").isEqualTo(1);
            assertThat(store.lastPts(1)).isZero();

            store.refuseWrites(null);
            assertThat(store.writable()).isTrue();
            store.write(List.of(message(5, 2)));
            assertThat(store.lastSeq(5)).isEqualTo(2);
        }
    }

    @Test
    void countsTheBatchesAndMutationsItStoredButNotTheRefusedOnes() {
        try (MemoryStore store = new MemoryStore()) {
            store.write(List.of(message(5, 1), update(1, 1, 0)));
            store.write(List.of());
            assertThatThrownBy(() -> store.write(List.of(message(5, 2), new UserRecord(2, null, "h", 1))))
                    .isInstanceOf(StoreException.class).hasMessageContaining("cannot store null username");

            assertThat(store.batchesWritten()).isEqualTo(2);
            assertThat(store.mutationsWritten()).isEqualTo(2);
            assertThat(store.message(5, 2)).isEmpty();
        }
    }

    @Test
    void aBackupIsRefusedAsThePortAllowsForAStoreWithoutFiles() {
        try (MemoryStore store = new MemoryStore()) {
            assertThatThrownBy(() -> store.backup(dir.resolve("copy"))).isInstanceOf(StoreException.class)
                    .hasMessageContaining("does not support online backups");
        }
    }
}
