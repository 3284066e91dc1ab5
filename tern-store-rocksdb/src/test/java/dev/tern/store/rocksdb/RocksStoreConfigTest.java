package dev.tern.store.rocksdb;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RocksStoreConfigTest {

    private static final Path DIR = Path.of("data");

    @Test
    void defaultsAreDurable() {
        RocksStoreConfig c = RocksStoreConfig.defaults(DIR);

        assertThat(c.syncWrites()).isTrue();
        assertThat(c.blockCacheBytes()).isEqualTo(256L << 20);
        assertThat(c.writeBufferBytes()).isEqualTo(64L << 20);
        assertThat(new RocksStoreConfig(DIR, 1L << 20, 1L << 20).syncWrites()).isTrue();
        assertThat(c.withSyncWrites(false)).isEqualTo(new RocksStoreConfig(DIR, 256L << 20, 64L << 20, false));
    }

    @Test
    void rejectsAMissingPath() {
        assertThatThrownBy(() -> new RocksStoreConfig(null, 1L << 20, 1L << 20))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("path must not be null");
    }

    @Test
    void rejectsATooSmallBlockCache() {
        assertThatThrownBy(() -> new RocksStoreConfig(DIR, 0, 1L << 20))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("blockCacheBytes must be at least 1048576, was 0");
        assertThatThrownBy(() -> new RocksStoreConfig(DIR, -5, 1L << 20))
                .hasMessageStartingWith("blockCacheBytes must be at least");
    }

    @Test
    void rejectsATooSmallWriteBuffer() {
        assertThatThrownBy(() -> new RocksStoreConfig(DIR, 1L << 20, 1024))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("writeBufferBytes must be at least 65536, was 1024");
    }

    @Test
    void acceptsTheMinimums() {
        RocksStoreConfig c = new RocksStoreConfig(DIR, RocksStoreConfig.MIN_BLOCK_CACHE_BYTES,
                RocksStoreConfig.MIN_WRITE_BUFFER_BYTES, false);

        assertThat(c.path()).isEqualTo(DIR);
        assertThat(c.syncWrites()).isFalse();
    }
}
