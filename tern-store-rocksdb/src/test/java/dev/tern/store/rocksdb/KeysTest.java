package dev.tern.store.rocksdb;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KeysTest {

    @Test
    void bytewiseOrderOfIdsIsNumericOrder() {
        List<Long> ids = List.of(0L, 1L, 255L, 256L, 65_535L, 65_536L, 1L << 32, Long.MAX_VALUE / 2, Long.MAX_VALUE);
        for (int i = 1; i < ids.size(); i++) {
            assertThat(Arrays.compareUnsigned(Keys.id(ids.get(i - 1)), Keys.id(ids.get(i))))
                    .as("%d < %d", ids.get(i - 1), ids.get(i)).isNegative();
            assertThat(Arrays.compareUnsigned(Keys.pair(7, ids.get(i - 1)), Keys.pair(7, ids.get(i)))).isNegative();
        }
    }

    @Test
    void idsAreBigEndianAndReadBack() {
        assertThat(Keys.id(256)).containsExactly(0, 0, 0, 0, 0, 0, 1, 0);
        assertThat(Keys.pair(1, 2)).containsExactly(0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2);
        assertThat(Keys.longAt(Keys.pair(Long.MAX_VALUE / 2, -1), 0)).isEqualTo(Long.MAX_VALUE / 2);
        assertThat(Keys.longAt(Keys.pair(3, Long.MAX_VALUE), 8)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void idAndStringPutsTheStringAfterTheFixedWidthId() {
        assertThat(Keys.idAndString(1, "é")).containsExactly(0, 0, 0, 0, 0, 0, 0, 1, 0xC3 - 256, 0xA9 - 256);
        assertThat(Keys.idAndString(2, "")).containsExactly(Keys.id(2));
    }

    @Test
    void successorIsTheExclusiveUpperBoundOfAPrefix() {
        assertThat(Keys.successor(Keys.id(1))).containsExactly(Keys.id(2));
        // Trailing 0xFF bytes are dropped: the shortest bound, equivalent to id(256) for 8-byte ids.
        assertThat(Keys.successor(Keys.id(255))).containsExactly(0, 0, 0, 0, 0, 0, 1);
        assertThat(Arrays.compareUnsigned(Keys.pair(255, -1), Keys.successor(Keys.id(255)))).isNegative();
        assertThat(Arrays.compareUnsigned(Keys.pair(256, 0), Keys.successor(Keys.id(255)))).isPositive();
        assertThat(Keys.successor(Keys.id(Long.MAX_VALUE))).containsExactly(0x80 - 256);
        assertThat(Keys.successor(new byte[] {1, -1, -1})).containsExactly(2);
        assertThat(Keys.successor(Keys.id(-1))).isNull();
        byte[] prefix = Keys.id(41);
        assertThat(Arrays.compareUnsigned(Keys.pair(41, Long.MAX_VALUE), Keys.successor(prefix))).isNegative();
        assertThat(Arrays.compareUnsigned(Keys.pair(42, 0), Keys.successor(prefix))).isNotNegative();
    }
}
