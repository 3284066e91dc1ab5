package dev.tern.store.rocksdb;

import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.MemberRole;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.BodyKind;
import dev.tern.core.store.StoreException;
import dev.tern.core.store.UserRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RocksDB-specific behaviour: the on-disk layout is what package-info documents, and bad data is refused. */
class RocksStoreFormatTest {

    @TempDir
    Path dir;

    private RocksStore open() {
        return RocksStore.open(new RocksStoreConfig(dir, 8L << 20, 1L << 20));
    }

    @Test
    void theOnDiskLayoutIsTheDocumentedOne() throws RocksDBException {
        try (RocksStore store = open()) {
            store.write(List.of(new UserRecord(256, "bob", "h", 1), new MemberRecord(5, 256, MemberRole.ADMIN, 3),
                    new MessageRecord(5, 2, 256, "bob", 9, "c", "t", BodyKind.SERVICE, new byte[] {7}, 4),
                    new dev.tern.core.store.SearchBacklogRecord(300, 5, 2),
                    new dev.tern.core.store.DedupRecord(256, "c", 5, 2, 3, 2, 7)));
        }
        try (RawDb raw = new RawDb(dir)) {
            assertThat(raw.families()).containsExactlyInAnyOrder("default", "users", "user_names", "tickets",
                    "conversations", "members", "user_convs", "direct", "messages", "updates", "read_markers",
                    "delivered_markers", "dedup", "sequences", "last_seen", "reactions", "hidden", "bans", "invites", "blocks", "contacts", "privacy",
                    "channel_names", "dialogs", "search_backlog", "uploads", "media", "media_uses", "blob_refs", "usage",
                    "dedup_by_time", "tickets_by_expiry");
            assertThat(raw.get("default", "layout".getBytes(StandardCharsets.UTF_8))).containsExactly(1, 2);
            assertThat(raw.get("users", Keys.id(256))).containsExactly(2, 3, 'b', 'o', 'b', 1, 'h', 1, 0);
            assertThat(raw.get("user_names", "bob".getBytes(StandardCharsets.UTF_8))).containsExactly(1, 0x80 - 256, 2);
            assertThat(raw.get("members", Keys.pair(5, 256))).containsExactly(1, 2, 3);
            assertThat(raw.get("user_convs", Keys.pair(256, 5))).containsExactly(1);
            assertThat(raw.get("search_backlog", Keys.id(300))).containsExactly(1, 5, 2);
            assertThat(raw.get("dedup", new byte[] {0, 0, 0, 0, 0, 0, 1, 0, 'c'})).containsExactly(1, 5, 2, 3, 2, 7);
            // t64 tsMs (sign bit flipped), u64 deviceId, utf8 clientMsgId
            assertThat(raw.get("dedup_by_time", new byte[] {(byte) 0x80, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 1, 0, 'c'}))
                    .containsExactly(1);
            assertThat(raw.get("messages", Keys.pair(5, 2)))
                    .containsExactly(3, 0x80 - 256, 2, 3, 'b', 'o', 'b', 9, 1, 'c', 1, 't', 3, 1, 7, 4,
                            0, 0, 0, 0, 0, 0, 0, 0, 0); // V3: no reply, no forward (empty name), never edited, not recalled, no reactions, no mentions, no media
        }
    }

    @Test
    void aValueWithAnUnknownFormatVersionIsRefused() throws RocksDBException {
        try (RocksStore store = open()) {
            store.write(List.of(new UserRecord(1, "alice", "h", 1)));
        }
        try (RawDb raw = new RawDb(dir)) {
            raw.put("users", Keys.id(1), new byte[] {99, 5, 'a', 'l', 'i', 'c', 'e', 1, 'h', 1});
        }
        try (RocksStore store = open()) {
            assertThatThrownBy(() -> store.user(1)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("unsupported value format version 99 in column family users");
            assertThatThrownBy(() -> store.userByName("alice")).isInstanceOf(StoreException.class);
        }
    }

    @Test
    void aDatabaseWithAnUnknownColumnFamilyIsRefused() throws RocksDBException {
        open().close();
        try (RawDb raw = new RawDb(dir)) {
            raw.createFamily("stickers");
        }

        assertThatThrownBy(this::open).isInstanceOf(StoreException.class)
                .hasMessageContaining("unknown column family 'stickers'");
    }

    @Test
    void aDatabaseWithAnotherLayoutVersionIsRefused() throws RocksDBException {
        open().close();
        try (RawDb raw = new RawDb(dir)) {
            raw.put("default", RocksEngine.LAYOUT_KEY, ValueCodec.number(3));
        }

        assertThatThrownBy(this::open).isInstanceOf(StoreException.class).hasMessageContaining("has key layout 3");
    }

    @Test
    void aSecondOpenOfTheSameDirectoryFailsWithStoreException() {
        try (RocksStore first = open()) {
            assertThatThrownBy(this::open).isInstanceOf(StoreException.class).hasMessageContaining("lock");
            first.write(List.of(new UserRecord(1, "alice", "h", 1)));
            assertThat(first.user(1)).isPresent();
        }
    }

    @Test
    void missingParentDirectoriesAreCreated() {
        Path nested = dir.resolve("a/b/c");
        try (RocksStore store = RocksStore.open(new RocksStoreConfig(nested, 8L << 20, 1L << 20))) {
            store.write(List.of(new UserRecord(1, "alice", "h", 1)));
        }
        assertThat(nested.resolve("CURRENT")).exists();
    }

    @Test
    void aNegativeLimitIsACallerBug() {
        try (RocksStore store = open()) {
            assertThatThrownBy(() -> store.messagesBefore(1, 10, 0, -1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.updatesAfter(1, 0, -1)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
