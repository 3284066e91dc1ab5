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
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The embedded {@link Store} on RocksDB. Key layout and invariants are in the package documentation.
 *
 * <p>Thread-safe. Reads and writes run concurrently (RocksDB groups concurrent synced writes into one
 * fsync); {@link #close()} waits for calls in flight, because freeing the native database under a
 * running call would crash the JVM rather than throw.
 */
public final class RocksStore implements Store {

    private final RocksEngine engine;
    private final RocksAccess db;
    private final BatchEncoder encoder;
    private final MediaReads media;
    private final SearchReads search;
    private final TimeIndex timeIndex;

    private RocksStore(RocksEngine engine) {
        this.engine = engine;
        this.db = new RocksAccess(engine);
        this.encoder = new BatchEncoder(engine);
        this.media = new MediaReads(db);
        this.search = new SearchReads(db);
        this.timeIndex = new TimeIndex(engine, db);
    }

    /** Opens (creating if needed) the store at {@code config.path()}. */
    public static RocksStore open(RocksStoreConfig config) {
        Objects.requireNonNull(config, "config");
        return new RocksStore(RocksEngine.open(config));
    }

    @Override
    public void write(List<Mutation> batch) {
        Objects.requireNonNull(batch, "batch");
        db.guarded("write", () -> {
            try (WriteBatch wb = new WriteBatch()) {
                TimeIndex.Batch indexes = timeIndex.batch();
                for (Mutation m : batch) {
                    encoder.add(wb, m, indexes);
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
        return db.guarded("user", () -> Optional.ofNullable(db.get(Family.USERS, Keys.id(userId)))
                .map(v -> ValueCodec.user(userId, v)));
    }

    @Override
    public Optional<UserRecord> userByName(String canonicalName) {
        Objects.requireNonNull(canonicalName, "canonicalName");
        return db.guarded("userByName", () -> {
            byte[] id = db.get(Family.NAMES, Keys.utf8(canonicalName));
            if (id == null) {
                return Optional.empty();
            }
            long userId = ValueCodec.number(Family.NAMES.cfName(), id);
            byte[] user = db.get(Family.USERS, Keys.id(userId));
            // The name index is a hint that may be stale after a rename; the user record decides.
            return Optional.ofNullable(user).map(v -> ValueCodec.user(userId, v))
                    .filter(u -> u.username().equals(canonicalName));
        });
    }

    @Override
    public Optional<TicketRecord> ticket(byte[] hash) {
        byte[] key = Objects.requireNonNull(hash, "hash").clone();
        return db.guarded("ticket", () -> Optional.ofNullable(db.get(Family.TICKETS, key))
                .map(v -> ValueCodec.ticket(key, v)));
    }

    @Override
    public Optional<ConversationRecord> conversation(long conversationId) {
        return db.guarded("conversation", () -> Optional.ofNullable(db.get(Family.CONVERSATIONS, Keys.id(conversationId)))
                .map(v -> ValueCodec.conversation(conversationId, v)));
    }

    @Override
    public List<MemberRecord> members(long conversationId) {
        byte[] prefix = Keys.id(conversationId);
        return db.guarded("members", () -> db.forward(Family.MEMBERS, prefix, Keys.successor(prefix), Integer.MAX_VALUE,
                (k, v) -> ValueCodec.member(conversationId, Keys.longAt(k, Keys.LONG), v)));
    }

    @Override
    public List<MemberRecord> membersAfter(long conversationId, long afterUserId, int limit) {
        byte[] prefix = Keys.id(conversationId);
        return db.guarded("membersAfter", () -> {
            RocksAccess.checkLimit(limit);
            if (limit == 0 || afterUserId == -1L) {
                return List.of(); // -1 is the largest unsigned id: nothing comes after it
            }
            return db.forward(Family.MEMBERS, Keys.pair(conversationId, afterUserId + 1), Keys.successor(prefix), limit,
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
        return db.guarded(operation, () -> db.forward(family, prefix, Keys.successor(prefix), Integer.MAX_VALUE,
                (k, v) -> Keys.longAt(k, Keys.LONG)));
    }

    @Override
    public OptionalLong directConversation(long userLo, long userHi) {
        return db.guarded("directConversation", () -> {
            byte[] v = db.get(Family.DIRECT, Keys.pair(userLo, userHi));
            return v == null ? OptionalLong.empty() : OptionalLong.of(ValueCodec.number(Family.DIRECT.cfName(), v));
        });
    }

    @Override
    public Optional<MessageRecord> message(long conversationId, long seq) {
        return db.guarded("message", () -> Optional.ofNullable(db.get(Family.MESSAGES, Keys.pair(conversationId, seq)))
                .map(v -> ValueCodec.message(conversationId, seq, v)));
    }

    @Override
    public List<MessageRecord> messagesBefore(long conversationId, long beforeSeq, long minSeq, int limit) {
        long from = Math.max(minSeq, 0);
        return db.guarded("messagesBefore", () -> {
            RocksAccess.checkLimit(limit);
            if (limit == 0 || beforeSeq <= from) {
                return List.of();
            }
            return db.backward(Family.MESSAGES, Keys.pair(conversationId, from), Keys.pair(conversationId, beforeSeq),
                    Keys.pair(conversationId, beforeSeq - 1), limit,
                    (k, v) -> ValueCodec.message(conversationId, Keys.longAt(k, Keys.LONG), v));
        });
    }

    @Override
    public List<ReactionRecord> reactions(long conversationId, long seq, long afterUserId, int limit) {
        byte[] prefix = Keys.pair(conversationId, seq);
        return db.guarded("reactions", () -> {
            RocksAccess.checkLimit(limit);
            if (limit == 0 || afterUserId == -1L) {
                return List.of(); // -1 is the largest unsigned id: nothing comes after it
            }
            return db.forward(Family.REACTIONS, Keys.triple(conversationId, seq, afterUserId + 1), Keys.successor(prefix),
                    limit, (k, v) -> ValueCodec.reaction(conversationId, seq, Keys.longAt(k, 2 * Keys.LONG), v));
        });
    }

    @Override
    public List<Long> contactsOf(long ownerId) {
        return secondIds("contactsOf", Family.CONTACTS, ownerId);
    }

    @Override
    public Optional<PrivacyRecord> privacy(long userId) {
        return db.guarded("privacy", () -> Optional.ofNullable(db.get(Family.PRIVACY, Keys.id(userId)))
                .map(v -> ValueCodec.privacy(userId, v)));
    }

    @Override
    public List<Long> blockedBy(long blockerId) {
        return secondIds("blockedBy", Family.BLOCKS, blockerId);
    }

    @Override
    public OptionalLong channelByName(String canonicalName) {
        return db.guarded("channelByName", () -> {
            byte[] v = db.get(Family.CHANNEL_NAMES, Keys.utf8(canonicalName));
            return v == null ? OptionalLong.empty()
                    : OptionalLong.of(ValueCodec.number(Family.CHANNEL_NAMES.cfName(), v));
        });
    }

    @Override
    public List<ChannelNameRecord> channelNames(String prefix, int limit) {
        byte[] lower = Keys.utf8(prefix);
        return db.guarded("channelNames", () -> {
            RocksAccess.checkLimit(limit);
            return db.forward(Family.CHANNEL_NAMES, lower, Keys.successor(lower), limit,
                    (k, v) -> new ChannelNameRecord(new String(k, java.nio.charset.StandardCharsets.UTF_8),
                            ValueCodec.number(Family.CHANNEL_NAMES.cfName(), v)));
        });
    }

    @Override
    public Optional<DialogRecord> dialog(long userId, long conversationId) {
        return db.guarded("dialog", () -> Optional.ofNullable(db.get(Family.DIALOGS, Keys.pair(userId, conversationId)))
                .map(v -> ValueCodec.dialog(userId, conversationId, v)));
    }

    @Override
    public List<DialogRecord> dialogsOf(long userId) {
        byte[] prefix = Keys.id(userId);
        return db.guarded("dialogsOf", () -> db.forward(Family.DIALOGS, prefix, Keys.successor(prefix), Integer.MAX_VALUE,
                (k, v) -> ValueCodec.dialog(userId, Keys.longAt(k, Keys.LONG), v)));
    }

    @Override
    public Optional<UploadRecord> upload(String uploadId) {
        return media.upload(uploadId);
    }

    @Override
    public List<UploadRecord> uploads(String afterId, int limit) {
        return media.uploads(afterId, limit);
    }

    @Override
    public Optional<MediaRecord> media(String mediaId) {
        return media.media(mediaId);
    }

    @Override
    public List<MediaRecord> mediaPage(String afterId, int limit) {
        return media.mediaPage(afterId, limit);
    }

    @Override
    public List<MediaUseRecord> mediaUses(String mediaId, int limit) {
        return media.mediaUses(mediaId, limit);
    }

    @Override
    public Optional<BlobRefRecord> blobRef(String sha256) {
        return media.blobRef(sha256);
    }

    @Override
    public List<BlobRefRecord> unreferencedBlobs(long beforeMs, int limit) {
        return media.unreferencedBlobs(beforeMs, limit);
    }

    @Override
    public long usage(long userId) {
        return media.usage(userId);
    }

    @Override
    public boolean banned(long conversationId, long userId) {
        return db.guarded("banned", () -> db.get(Family.BANS, Keys.pair(conversationId, userId)) != null);
    }

    @Override
    public Optional<InviteRecord> invite(byte[] hash) {
        byte[] key = Objects.requireNonNull(hash, "hash").clone();
        return db.guarded("invite", () -> Optional.ofNullable(db.get(Family.INVITES, key)).map(v -> ValueCodec.invite(key, v)));
    }

    @Override
    public List<Long> hidden(long userId, long conversationId, long fromSeq, long toSeq) {
        return db.guarded("hidden", () -> {
            long from = Math.max(fromSeq, 0);
            if (toSeq <= from) {
                return List.of();
            }
            return db.forward(Family.HIDDEN, Keys.triple(userId, conversationId, from),
                    Keys.triple(userId, conversationId, toSeq), Integer.MAX_VALUE,
                    (k, v) -> Keys.longAt(k, 2 * Keys.LONG));
        });
    }

    @Override
    public Optional<ReactionRecord> reaction(long conversationId, long seq, long userId) {
        return db.guarded("reaction", () -> Optional.ofNullable(db.get(Family.REACTIONS, Keys.triple(conversationId, seq, userId)))
                .map(v -> ValueCodec.reaction(conversationId, seq, userId, v)));
    }

    @Override
    public long lastSeq(long conversationId) {
        return db.guarded("lastSeq", () -> db.lastSecondLong(Family.MESSAGES, conversationId));
    }

    @Override
    public List<UpdateRecord> updatesAfter(long userId, long afterPts, int limit) {
        byte[] prefix = Keys.id(userId);
        return db.guarded("updatesAfter", () -> {
            RocksAccess.checkLimit(limit);
            if (limit == 0 || afterPts == Long.MAX_VALUE) {
                return List.of();
            }
            return db.forward(Family.UPDATES, Keys.pair(userId, Math.max(afterPts + 1, 0)), Keys.successor(prefix),
                    limit, (k, v) -> ValueCodec.update(userId, Keys.longAt(k, Keys.LONG), v));
        });
    }

    @Override
    public long lastPts(long userId) {
        return db.guarded("lastPts", () -> db.lastSecondLong(Family.UPDATES, userId));
    }

    @Override
    public Optional<DedupRecord> dedup(long deviceId, String clientMsgId) {
        Objects.requireNonNull(clientMsgId, "clientMsgId");
        return db.guarded("dedup", () -> Optional.ofNullable(db.get(Family.DEDUP, Keys.idAndString(deviceId, clientMsgId)))
                .map(v -> ValueCodec.dedup(deviceId, clientMsgId, v)));
    }

    @Override
    public List<DedupRecord> dedupsBefore(long tsMs, int limit) {
        return db.guarded("dedupsBefore", () -> timeIndex.due(TimeIndex.DEDUP, tsMs, limit));
    }

    @Override
    public List<TicketRecord> ticketsExpiredBefore(long ms, int limit) {
        return db.guarded("ticketsExpiredBefore", () -> timeIndex.due(TimeIndex.TICKETS, ms, limit));
    }

    @Override
    public long readMarker(long userId, long conversationId) {
        return db.guarded("readMarker", () -> db.number(Family.READS, Keys.pair(userId, conversationId)));
    }

    @Override
    public long deliveredMarker(long userId, long conversationId) {
        return db.guarded("deliveredMarker", () -> db.number(Family.DELIVERED, Keys.pair(userId, conversationId)));
    }

    @Override
    public long sequenceBound(String key) {
        Objects.requireNonNull(key, "key");
        return db.guarded("sequenceBound", () -> db.number(Family.SEQUENCES, Keys.utf8(key)));
    }

    @Override
    public long lastSeen(long userId) {
        return db.guarded("lastSeen", () -> db.number(Family.LAST_SEEN, Keys.id(userId)));
    }

    @Override
    public List<MessageRecord> messagesAfter(long conversationId, long afterSeq, int limit) {
        return search.messagesAfter(conversationId, afterSeq, limit);
    }

    @Override
    public List<SearchBacklogRecord> searchBacklog(long afterId, int limit) {
        return search.searchBacklog(afterId, limit);
    }

    @Override
    public long lastSearchBacklogId() {
        return search.lastSearchBacklogId();
    }

    @Override
    public List<UserRecord> usersByNamePrefix(String prefix, int limit) {
        return search.usersByNamePrefix(prefix, limit);
    }

    /**
     * A RocksDB checkpoint: SST files hard-linked (copied across file systems), the memtables flushed
     * first, so the copy holds every write made before the call. Writes continue meanwhile.
     */
    @Override
    public void backup(java.nio.file.Path target) {
        db.guarded("backup", () -> {
            try (org.rocksdb.Checkpoint checkpoint = org.rocksdb.Checkpoint.create(engine.db())) {
                checkpoint.createCheckpoint(target.toString());
            }
            return null;
        });
    }

    /** False while the store refuses writes after a full disk or an I/O error (see {@link WriteHealth}). */
    @Override
    public boolean writable() {
        return db.guarded("writable", () -> !engine.health().stopped());
    }

    /** Idempotent. Waits for calls in flight; afterwards every method throws "store is closed". */
    @Override
    public void close() {
        db.close();
    }
}
