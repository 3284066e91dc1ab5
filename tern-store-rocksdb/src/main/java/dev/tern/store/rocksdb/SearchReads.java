package dev.tern.store.rocksdb;

import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.SearchBacklogRecord;
import dev.tern.core.store.UserRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What search reads of {@link RocksStore}: the full message scan that rebuilds the index, the
 * backlog queue and username prefixes (layout in the package documentation). Every read runs inside
 * {@link RocksAccess#guarded}.
 */
final class SearchReads {

    private final RocksAccess db;

    SearchReads(RocksAccess db) {
        this.db = db;
    }

    List<MessageRecord> messagesAfter(long conversationId, long afterSeq, int limit) {
        return db.guarded("messagesAfter", () -> {
            RocksAccess.checkLimit(limit);
            if (limit == 0 || afterSeq == Long.MAX_VALUE) {
                return List.of();
            }
            return db.forward(Family.MESSAGES, Keys.pair(conversationId, Math.max(afterSeq + 1, 0)), null, limit,
                    (k, v) -> ValueCodec.message(Keys.longAt(k, 0), Keys.longAt(k, Keys.LONG), v));
        });
    }

    List<SearchBacklogRecord> searchBacklog(long afterId, int limit) {
        return db.guarded("searchBacklog", () -> {
            RocksAccess.checkLimit(limit);
            if (limit == 0 || afterId == Long.MAX_VALUE) {
                return List.of();
            }
            return db.forward(Family.SEARCH_BACKLOG, Keys.id(Math.max(afterId + 1, 0)), null, limit,
                    (k, v) -> ValueCodec.searchBacklog(Keys.longAt(k, 0), v));
        });
    }

    long lastSearchBacklogId() {
        return db.guarded("lastSearchBacklogId", () -> {
            List<Long> last = db.backward(Family.SEARCH_BACKLOG, Keys.id(0), null, Keys.id(Long.MAX_VALUE), 1,
                    (k, v) -> Keys.longAt(k, 0));
            return last.isEmpty() ? 0 : last.getFirst();
        });
    }

    List<UserRecord> usersByNamePrefix(String prefix, int limit) {
        Objects.requireNonNull(prefix, "prefix");
        byte[] lower = Keys.utf8(prefix);
        return db.guarded("usersByNamePrefix", () -> {
            RocksAccess.checkLimit(limit);
            List<UserRecord> out = new ArrayList<>();
            byte[] from = lower;
            // The name index keeps names given up by a rename; those entries are skipped, so a page
            // of the index may yield fewer users than asked and the walk goes on.
            while (out.size() < limit) {
                List<byte[][]> page = db.forward(Family.NAMES, from, Keys.successor(lower), 64,
                        (k, v) -> new byte[][] {k, v});
                for (byte[][] entry : page) {
                    String name = new String(entry[0], java.nio.charset.StandardCharsets.UTF_8);
                    long userId = ValueCodec.number(Family.NAMES.cfName(), entry[1]);
                    byte[] user = db.get(Family.USERS, Keys.id(userId));
                    if (user != null && out.size() < limit) {
                        UserRecord u = ValueCodec.user(userId, user);
                        if (u.username().equals(name)) {
                            out.add(u);
                        }
                    }
                }
                if (page.size() < 64) {
                    break;
                }
                from = java.util.Arrays.copyOf(page.getLast()[0], page.getLast()[0].length + 1); // just past it
            }
            return out;
        });
    }
}
