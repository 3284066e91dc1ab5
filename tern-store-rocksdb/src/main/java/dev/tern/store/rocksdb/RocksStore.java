package dev.tern.store.rocksdb;

import dev.tern.core.store.ChannelNameRecord;
import dev.tern.core.store.BlobRefRecord;
import dev.tern.core.store.ConversationRecord;
import dev.tern.core.store.MediaRecord;
import dev.tern.core.store.MediaUseRecord;
import dev.tern.core.store.UploadRecord;
import dev.tern.core.store.DialogRecord;
import dev.tern.core.store.DedupRecord;
import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.InviteRecord;
import dev.tern.core.store.PrivacyRecord;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.ReactionRecord;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.SearchBacklogRecord;
import dev.tern.core.store.Store;
import dev.tern.core.store.StoreException;
import dev.tern.core.store.TicketRecord;
import dev.tern.core.store.UpdateRecord;
import dev.tern.core.store.UserRecord;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The embedded {@link Store} on RocksDB. Key layout and invariants are in the package documentation.
 *
 * <p>Thread-safe. Reads and writes run concurrently (RocksDB groups concurrent synced writes into one
 * fsync); {@link #close()} waits for calls in flight, because freeing the native database under a
 * running call would crash the JVM rather than throw.
 */
public final class RocksStore implements Store {

    private final RocksEngine engine;
    private final BatchEncoder encoder;
    /** Shared by every call, exclusive for close: the native objects live while anyone holds it. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    /** Written under the write lock, read under the read lock, which orders the accesses. */
    private boolean closed;

    private RocksStore(RocksEngine engine) {
        this.engine = engine;
        this.encoder = new BatchEncoder(engine);
    }

    /** Opens (creating if needed) the store at {@code config.path()}. */
    public static RocksStore open(RocksStoreConfig config) {
        Objects.requireNonNull(config, "config");
        return new RocksStore(RocksEngine.open(config));
    }

    @Override
    public void write(List<Mutation> batch) {
        Objects.requireNonNull(batch, "batch");
        guarded("write", () -> {
            try (WriteBatch wb = new WriteBatch()) {
                for (Mutation m : batch) {
                    encoder.add(wb, m);
                }
                // One WriteBatch is applied atomically (all or nothing, also across a crash) and,
                // with sync set, only returns once the WAL record is fsynced.
                engine.db().write(engine.writeOptions(), wb);
                engine.health().succeeded();
            } catch (RocksDBException e) {
                String stopped = engine.health().failed(e);
                if (stopped == null) {
                    throw e;
                }
                throw new StoreException("write failed, " + stopped + ": " + e.getMessage(), e);
            } catch (StoreException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new StoreException("write failed: " + e, e);
            }
            return null;
        });
    }

    @Override
    public Optional<UserRecord> user(long userId) {
        return guarded("user", () -> Optional.ofNullable(get(Family.USERS, Keys.id(userId)))
                .map(v -> ValueCodec.user(userId, v)));
    }

    @Override
    public Optional<UserRecord> userByName(String canonicalName) {
        Objects.requireNonNull(canonicalName, "canonicalName");
        return guarded("userByName", () -> {
            byte[] id = get(Family.NAMES, Keys.utf8(canonicalName));
            if (id == null) {
                return Optional.empty();
            }
            long userId = ValueCodec.number(Family.NAMES.cfName(), id);
            byte[] user = get(Family.USERS, Keys.id(userId));
            // The name index is a hint that may be stale after a rename; the user record decides.
            return Optional.ofNullable(user).map(v -> ValueCodec.user(userId, v))
                    .filter(u -> u.username().equals(canonicalName));
        });
    }

    @Override
    public Optional<TicketRecord> ticket(byte[] hash) {
        byte[] key = Objects.requireNonNull(hash, "hash").clone();
        return guarded("ticket", () -> Optional.ofNullable(get(Family.TICKETS, key))
                .map(v -> ValueCodec.ticket(key, v)));
    }

    @Override
    public Optional<ConversationRecord> conversation(long conversationId) {
        return guarded("conversation", () -> Optional.ofNullable(get(Family.CONVERSATIONS, Keys.id(conversationId)))
                .map(v -> ValueCodec.conversation(conversationId, v)));
    }

    @Override
    public List<MemberRecord> members(long conversationId) {
        byte[] prefix = Keys.id(conversationId);
        return guarded("members", () -> forward(Family.MEMBERS, prefix, Keys.successor(prefix), Integer.MAX_VALUE,
                (k, v) -> ValueCodec.member(conversationId, Keys.longAt(k, Keys.LONG), v)));
    }

    @Override
    public List<MemberRecord> membersAfter(long conversationId, long afterUserId, int limit) {
        byte[] prefix = Keys.id(conversationId);
        return guarded("membersAfter", () -> {
            checkLimit(limit);
            if (limit == 0 || afterUserId == -1L) {
                return List.of(); // -1 is the largest unsigned id: nothing comes after it
            }
            return forward(Family.MEMBERS, Keys.pair(conversationId, afterUserId + 1), Keys.successor(prefix), limit,
                    (k, v) -> ValueCodec.member(conversationId, Keys.longAt(k, Keys.LONG), v));
        });
    }

    @Override
    public List<Long> conversationsOf(long userId) {
        return secondIds("conversationsOf", Family.USER_CONVS, userId);
    }

    /** The second id of every (first, second) key under {@code first}, ascending. */
    private List<Long> secondIds(String operation, Family family, long first) {
        byte[] prefix = Keys.id(first);
        return guarded(operation, () -> forward(family, prefix, Keys.successor(prefix), Integer.MAX_VALUE,
                (k, v) -> Keys.longAt(k, Keys.LONG)));
    }

    @Override
    public OptionalLong directConversation(long userLo, long userHi) {
        return guarded("directConversation", () -> {
            byte[] v = get(Family.DIRECT, Keys.pair(userLo, userHi));
            return v == null ? OptionalLong.empty() : OptionalLong.of(ValueCodec.number(Family.DIRECT.cfName(), v));
        });
    }

    @Override
    public Optional<MessageRecord> message(long conversationId, long seq) {
        return guarded("message", () -> Optional.ofNullable(get(Family.MESSAGES, Keys.pair(conversationId, seq)))
                .map(v -> ValueCodec.message(conversationId, seq, v)));
    }

    @Override
    public List<MessageRecord> messagesBefore(long conversationId, long beforeSeq, long minSeq, int limit) {
        long from = Math.max(minSeq, 0);
        return guarded("messagesBefore", () -> {
            checkLimit(limit);
            if (limit == 0 || beforeSeq <= from) {
                return List.of();
            }
            return backward(Family.MESSAGES, Keys.pair(conversationId, from), Keys.pair(conversationId, beforeSeq),
                    Keys.pair(conversationId, beforeSeq - 1), limit,
                    (k, v) -> ValueCodec.message(conversationId, Keys.longAt(k, Keys.LONG), v));
        });
    }

    @Override
    public List<ReactionRecord> reactions(long conversationId, long seq, long afterUserId, int limit) {
        byte[] prefix = Keys.pair(conversationId, seq);
        return guarded("reactions", () -> {
            checkLimit(limit);
            if (limit == 0 || afterUserId == -1L) {
                return List.of(); // -1 is the largest unsigned id: nothing comes after it
            }
            return forward(Family.REACTIONS, Keys.triple(conversationId, seq, afterUserId + 1), Keys.successor(prefix),
                    limit, (k, v) -> ValueCodec.reaction(conversationId, seq, Keys.longAt(k, 2 * Keys.LONG), v));
        });
    }

    @Override
    public List<Long> contactsOf(long ownerId) {
        return secondIds("contactsOf", Family.CONTACTS, ownerId);
    }

    @Override
    public Optional<PrivacyRecord> privacy(long userId) {
        return guarded("privacy", () -> Optional.ofNullable(get(Family.PRIVACY, Keys.id(userId)))
                .map(v -> ValueCodec.privacy(userId, v)));
    }

    @Override
    public List<Long> blockedBy(long blockerId) {
        return secondIds("blockedBy", Family.BLOCKS, blockerId);
    }

    @Override
    public OptionalLong channelByName(String canonicalName) {
        return guarded("channelByName", () -> {
            byte[] v = get(Family.CHANNEL_NAMES, Keys.utf8(canonicalName));
            return v == null ? OptionalLong.empty()
                    : OptionalLong.of(ValueCodec.number(Family.CHANNEL_NAMES.cfName(), v));
        });
    }

    @Override
    public List<ChannelNameRecord> channelNames(String prefix, int limit) {
        byte[] lower = Keys.utf8(prefix);
        return guarded("channelNames", () -> {
            checkLimit(limit);
            return forward(Family.CHANNEL_NAMES, lower, Keys.successor(lower), limit,
                    (k, v) -> new ChannelNameRecord(new String(k, java.nio.charset.StandardCharsets.UTF_8),
                            ValueCodec.number(Family.CHANNEL_NAMES.cfName(), v)));
        });
    }

    @Override
    public Optional<DialogRecord> dialog(long userId, long conversationId) {
        return guarded("dialog", () -> Optional.ofNullable(get(Family.DIALOGS, Keys.pair(userId, conversationId)))
                .map(v -> ValueCodec.dialog(userId, conversationId, v)));
    }

    @Override
    public List<DialogRecord> dialogsOf(long userId) {
        byte[] prefix = Keys.id(userId);
        return guarded("dialogsOf", () -> forward(Family.DIALOGS, prefix, Keys.successor(prefix), Integer.MAX_VALUE,
                (k, v) -> ValueCodec.dialog(userId, Keys.longAt(k, Keys.LONG), v)));
    }

    @Override
    public Optional<UploadRecord> upload(String uploadId) {
        return guarded("upload", () -> Optional.ofNullable(get(Family.UPLOADS, Keys.utf8(uploadId)))
                .map(v -> MediaCodec.upload(uploadId, v)));
    }

    @Override
    public List<UploadRecord> uploads(String afterId, int limit) {
        byte[] after = Keys.utf8(afterId);
        byte[] lower = java.util.Arrays.copyOf(after, after.length + 1); // the smallest key above afterId
        return guarded("uploads", () -> {
            checkLimit(limit);
            return forward(Family.UPLOADS, lower, null, limit, (k, v) -> {
                String id = new String(k, java.nio.charset.StandardCharsets.UTF_8);
                return MediaCodec.upload(id, v);
            });
        });
    }

    @Override
    public Optional<MediaRecord> media(String mediaId) {
        return guarded("media", () -> Optional.ofNullable(get(Family.MEDIA, Keys.utf8(mediaId)))
                .map(v -> MediaCodec.media(mediaId, v)));
    }

    @Override
    public List<MediaRecord> mediaPage(String afterId, int limit) {
        byte[] after = Keys.utf8(afterId);
        byte[] lower = java.util.Arrays.copyOf(after, after.length + 1);
        return guarded("mediaPage", () -> {
            checkLimit(limit);
            return forward(Family.MEDIA, lower, null, limit,
                    (k, v) -> MediaCodec.media(new String(k, java.nio.charset.StandardCharsets.UTF_8), v));
        });
    }

    @Override
    public List<MediaUseRecord> mediaUses(String mediaId, int limit) {
        byte[] id = Keys.utf8(mediaId);
        byte[] prefix = java.util.Arrays.copyOf(id, id.length + 1);
        return guarded("mediaUses", () -> {
            checkLimit(limit);
            return forward(Family.MEDIA_USES, prefix, Keys.successor(prefix), limit,
                    (k, v) -> new MediaUseRecord(mediaId, Keys.longAt(k, prefix.length),
                            Keys.longAt(k, prefix.length + Keys.LONG)));
        });
    }

    @Override
    public Optional<BlobRefRecord> blobRef(String sha256) {
        return guarded("blobRef", () -> Optional.ofNullable(get(Family.BLOB_REFS, Keys.utf8(sha256)))
                .map(v -> MediaCodec.blobRef(sha256, v)));
    }

    @Override
    public List<BlobRefRecord> unreferencedBlobs(long beforeMs, int limit) {
        return guarded("unreferencedBlobs", () -> {
            checkLimit(limit);
            List<BlobRefRecord> out = new ArrayList<>();
            // A walk of the reference counts in pages: a sweep runs rarely and stops at the limit.
            byte[] from = new byte[0];
            while (out.size() < limit) {
                List<BlobRefRecord> page = forward(Family.BLOB_REFS, from, null, 1024,
                        (k, v) -> MediaCodec.blobRef(new String(k, java.nio.charset.StandardCharsets.UTF_8), v));
                for (BlobRefRecord b : page) {
                    if (b.refs() <= 0 && b.unreferencedSinceMs() < beforeMs && out.size() < limit) {
                        out.add(b);
                    }
                }
                if (page.size() < 1024) {
                    break;
                }
                byte[] last = Keys.utf8(page.getLast().sha256());
                from = java.util.Arrays.copyOf(last, last.length + 1);
            }
            return out;
        });
    }

    @Override
    public long usage(long userId) {
        return guarded("usage", () -> {
            byte[] v = get(Family.USAGE, Keys.id(userId));
            return v == null ? 0 : ValueCodec.number(Family.USAGE.cfName(), v);
        });
    }

    @Override
    public boolean banned(long conversationId, long userId) {
        return guarded("banned", () -> get(Family.BANS, Keys.pair(conversationId, userId)) != null);
    }

    @Override
    public Optional<InviteRecord> invite(byte[] hash) {
        byte[] key = Objects.requireNonNull(hash, "hash").clone();
        return guarded("invite", () -> Optional.ofNullable(get(Family.INVITES, key)).map(v -> ValueCodec.invite(key, v)));
    }

    @Override
    public List<Long> hidden(long userId, long conversationId, long fromSeq, long toSeq) {
        return guarded("hidden", () -> {
            long from = Math.max(fromSeq, 0);
            if (toSeq <= from) {
                return List.of();
            }
            return forward(Family.HIDDEN, Keys.triple(userId, conversationId, from),
                    Keys.triple(userId, conversationId, toSeq), Integer.MAX_VALUE,
                    (k, v) -> Keys.longAt(k, 2 * Keys.LONG));
        });
    }

    @Override
    public Optional<ReactionRecord> reaction(long conversationId, long seq, long userId) {
        return guarded("reaction", () -> Optional.ofNullable(get(Family.REACTIONS, Keys.triple(conversationId, seq, userId)))
                .map(v -> ValueCodec.reaction(conversationId, seq, userId, v)));
    }

    @Override
    public long lastSeq(long conversationId) {
        return guarded("lastSeq", () -> lastSecondLong(Family.MESSAGES, conversationId));
    }

    @Override
    public List<UpdateRecord> updatesAfter(long userId, long afterPts, int limit) {
        byte[] prefix = Keys.id(userId);
        return guarded("updatesAfter", () -> {
            checkLimit(limit);
            if (limit == 0 || afterPts == Long.MAX_VALUE) {
                return List.of();
            }
            return forward(Family.UPDATES, Keys.pair(userId, Math.max(afterPts + 1, 0)), Keys.successor(prefix),
                    limit, (k, v) -> ValueCodec.update(userId, Keys.longAt(k, Keys.LONG), v));
        });
    }

    @Override
    public long lastPts(long userId) {
        return guarded("lastPts", () -> lastSecondLong(Family.UPDATES, userId));
    }

    @Override
    public Optional<DedupRecord> dedup(long deviceId, String clientMsgId) {
        Objects.requireNonNull(clientMsgId, "clientMsgId");
        return guarded("dedup", () -> Optional.ofNullable(get(Family.DEDUP, Keys.idAndString(deviceId, clientMsgId)))
                .map(v -> ValueCodec.dedup(deviceId, clientMsgId, v)));
    }

    @Override
    public long readMarker(long userId, long conversationId) {
        return guarded("readMarker", () -> number(Family.READS, Keys.pair(userId, conversationId)));
    }

    @Override
    public long deliveredMarker(long userId, long conversationId) {
        return guarded("deliveredMarker", () -> number(Family.DELIVERED, Keys.pair(userId, conversationId)));
    }

    @Override
    public long sequenceBound(String key) {
        Objects.requireNonNull(key, "key");
        return guarded("sequenceBound", () -> number(Family.SEQUENCES, Keys.utf8(key)));
    }

    @Override
    public long lastSeen(long userId) {
        return guarded("lastSeen", () -> number(Family.LAST_SEEN, Keys.id(userId)));
    }

    @Override
    public List<MessageRecord> messagesAfter(long conversationId, long afterSeq, int limit) {
        return guarded("messagesAfter", () -> {
            checkLimit(limit);
            if (limit == 0 || afterSeq == Long.MAX_VALUE) {
                return List.of();
            }
            return forward(Family.MESSAGES, Keys.pair(conversationId, Math.max(afterSeq + 1, 0)), null, limit,
                    (k, v) -> ValueCodec.message(Keys.longAt(k, 0), Keys.longAt(k, Keys.LONG), v));
        });
    }

    @Override
    public List<SearchBacklogRecord> searchBacklog(long afterId, int limit) {
        return guarded("searchBacklog", () -> {
            checkLimit(limit);
            if (limit == 0 || afterId == Long.MAX_VALUE) {
                return List.of();
            }
            return forward(Family.SEARCH_BACKLOG, Keys.id(Math.max(afterId + 1, 0)), null, limit,
                    (k, v) -> ValueCodec.searchBacklog(Keys.longAt(k, 0), v));
        });
    }

    @Override
    public long lastSearchBacklogId() {
        return guarded("lastSearchBacklogId", () -> {
            List<Long> last = backward(Family.SEARCH_BACKLOG, Keys.id(0), null, Keys.id(Long.MAX_VALUE), 1,
                    (k, v) -> Keys.longAt(k, 0));
            return last.isEmpty() ? 0 : last.getFirst();
        });
    }

    @Override
    public List<UserRecord> usersByNamePrefix(String prefix, int limit) {
        Objects.requireNonNull(prefix, "prefix");
        byte[] lower = Keys.utf8(prefix);
        return guarded("usersByNamePrefix", () -> {
            checkLimit(limit);
            List<UserRecord> out = new ArrayList<>();
            byte[] from = lower;
            // The name index keeps names given up by a rename; those entries are skipped, so a page
            // of the index may yield fewer users than asked and the walk goes on.
            while (out.size() < limit) {
                List<byte[][]> page = forward(Family.NAMES, from, Keys.successor(lower), 64,
                        (k, v) -> new byte[][] {k, v});
                for (byte[][] entry : page) {
                    String name = new String(entry[0], java.nio.charset.StandardCharsets.UTF_8);
                    long userId = ValueCodec.number(Family.NAMES.cfName(), entry[1]);
                    byte[] user = get(Family.USERS, Keys.id(userId));
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

    /**
     * A RocksDB checkpoint: SST files hard-linked (copied across file systems), the memtables flushed
     * first, so the copy holds every write made before the call. Writes continue meanwhile.
     */
    @Override
    public void backup(java.nio.file.Path target) {
        guarded("backup", () -> {
            try (org.rocksdb.Checkpoint checkpoint = org.rocksdb.Checkpoint.create(engine.db())) {
                checkpoint.createCheckpoint(target.toString());
            }
            return null;
        });
    }

    /** False while the store refuses writes after a full disk or an I/O error (see {@link WriteHealth}). */
    @Override
    public boolean writable() {
        return guarded("writable", () -> !engine.health().stopped());
    }

    /** Idempotent. Waits for calls in flight; afterwards every method throws "store is closed". */
    @Override
    public void close() {
        Lock lock = lifecycle.writeLock();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            engine.close();
        } finally {
            lock.unlock();
        }
    }

    static StoreException failure(String operation, RocksDBException e) {
        Status status = e.getStatus();
        String message = e.getMessage() != null ? e.getMessage() : String.valueOf(status);
        if (status != null && status.getSubCode() == Status.SubCode.NoSpace) {
            return new StoreException(operation + " failed, disk full: " + message, e);
        }
        return new StoreException(operation + " failed: " + message, e);
    }

    // ---- helpers; all run inside guarded(), so the engine is open

    private byte[] get(Family family, byte[] key) throws RocksDBException {
        return engine.db().get(engine.handle(family), key);
    }

    private long number(Family family, byte[] key) throws RocksDBException {
        byte[] v = get(family, key);
        return v == null ? 0 : ValueCodec.number(family.cfName(), v);
    }

    /** The second key long of the last entry under {@code id}: the highest seq or pts, 0 if none. */
    private long lastSecondLong(Family family, long id) throws RocksDBException {
        byte[] prefix = Keys.id(id);
        List<Long> last = backward(family, prefix, Keys.successor(prefix), Keys.pair(id, Long.MAX_VALUE), 1,
                (k, v) -> Keys.longAt(k, Keys.LONG));
        return last.isEmpty() ? 0 : last.getFirst();
    }

    /** Entries in [lower, upper) from the start, ascending. A null upper means unbounded. */
    private <T> List<T> forward(Family family, byte[] lower, byte[] upper, int limit, Row<T> row)
            throws RocksDBException {
        List<T> out = new ArrayList<>(Math.min(limit, 64));
        try (Slice lo = new Slice(lower);
             Slice hi = upper == null ? null : new Slice(upper);
             ReadOptions options = bounded(lo, hi);
             RocksIterator it = engine.db().newIterator(engine.handle(family), options)) {
            for (it.seek(lower); it.isValid() && out.size() < limit; it.next()) {
                out.add(row.decode(it.key(), it.value()));
            }
            it.status(); // an invalid iterator means "end" or "I/O error"; this tells them apart
        }
        return out;
    }

    /**
     * Entries in [lower, upper) from {@code last} (inclusive) down, descending. seekForPrev lands on
     * the greatest key at or below {@code last}; the bounds keep the walk inside the prefix.
     */
    private <T> List<T> backward(Family family, byte[] lower, byte[] upper, byte[] last, int limit, Row<T> row)
            throws RocksDBException {
        List<T> out = new ArrayList<>(Math.min(limit, 64));
        try (Slice lo = new Slice(lower);
             Slice hi = upper == null ? null : new Slice(upper);
             ReadOptions options = bounded(lo, hi);
             RocksIterator it = engine.db().newIterator(engine.handle(family), options)) {
            for (it.seekForPrev(last); it.isValid() && out.size() < limit; it.prev()) {
                out.add(row.decode(it.key(), it.value()));
            }
            it.status();
        }
        return out;
    }

    private static ReadOptions bounded(Slice lower, Slice upper) {
        ReadOptions options = new ReadOptions().setIterateLowerBound(lower);
        return upper == null ? options : options.setIterateUpperBound(upper);
    }

    private static void checkLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, was " + limit);
        }
    }

    private <T> T guarded(String operation, RocksCall<T> call) {
        Lock lock = lifecycle.readLock();
        lock.lock();
        try {
            if (closed) {
                throw new StoreException("store is closed");
            }
            return call.run();
        } catch (RocksDBException e) {
            throw failure(operation, e);
        } finally {
            lock.unlock();
        }
    }

    @FunctionalInterface
    private interface RocksCall<T> {
        T run() throws RocksDBException;
    }

    @FunctionalInterface
    private interface Row<T> {
        T decode(byte[] key, byte[] value);
    }
}
