package dev.tern.store.testkit;

import dev.tern.core.store.BlobRefRecord;
import dev.tern.core.store.ChannelNameRecord;
import dev.tern.core.store.ConversationRecord;
import dev.tern.core.store.DedupRecord;
import dev.tern.core.store.DialogRecord;
import dev.tern.core.store.InviteRecord;
import dev.tern.core.store.MediaRecord;
import dev.tern.core.store.MediaUseRecord;
import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.PrivacyRecord;
import dev.tern.core.store.ReactionRecord;
import dev.tern.core.store.SearchBacklogRecord;
import dev.tern.core.store.Store;
import dev.tern.core.store.StoreException;
import dev.tern.core.store.TicketRecord;
import dev.tern.core.store.UpdateRecord;
import dev.tern.core.store.UploadRecord;
import dev.tern.core.store.UserRecord;
import dev.tern.store.testkit.MemoryKeys.DedupKey;
import dev.tern.store.testkit.MemoryKeys.K2;
import dev.tern.store.testkit.MemoryKeys.K3;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * The {@link Store} port in memory, for fast tests of the core: it passes the same contract suite as
 * the embedded RocksDB store and answers every method as that store does (orders, bounds, limits,
 * canonical names, deletes, what a batch may not contain), so a test that passes here means the same
 * on RocksDB. What it cannot have is durability: its data lives as long as the instance, so the
 * contract's restart tests do not apply to it (see {@link StoreFixture.Capability#DURABLE}) and
 * {@link #backup} throws, as the port allows.
 *
 * <p>Thread-safe and simple: one read-write lock. A {@link #write} checks the whole batch, then applies
 * it under the write lock, so a reader sees all of a batch or none of it and a refused batch leaves
 * nothing. Reads run concurrently under the read lock. After {@link #close()} every method throws
 * {@link StoreException}, as a closed store does.
 *
 * <p>For tests of how the core handles a failing store, {@link #refuseWrites} makes writes fail as a
 * full disk would; {@link #batchesWritten()} and {@link #mutationsWritten()} count what was stored.
 */
public final class MemoryStore implements Store {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final MemoryTables tables = new MemoryTables();
    /** Guarded by the lock, like everything below. */
    private boolean closed;
    private String refusal;
    private long batches;
    private long mutations;

    @Override
    public void write(List<Mutation> batch) {
        Objects.requireNonNull(batch, "batch");
        Lock l = lock.writeLock();
        l.lock();
        try {
            ensureOpen();
            if (refusal != null) {
                throw new StoreException("write failed: " + refusal);
            }
            for (Mutation m : batch) {
                MemoryChecks.check(m); // all of the batch is checked before any of it is applied
            }
            for (Mutation m : batch) {
                tables.apply(m);
            }
            batches++;
            mutations += batch.size();
        } finally {
            l.unlock();
        }
    }

    /**
     * Makes every write throw {@link StoreException} with {@code reason} and {@link #writable()}
     * answer false, as a store does while a full disk or an I/O error stops it; null lets writes
     * through again.
     */
    public void refuseWrites(String reason) {
        Lock l = lock.writeLock();
        l.lock();
        try {
            refusal = reason;
        } finally {
            l.unlock();
        }
    }

    /** How many batches were stored (refused ones not counted). */
    public long batchesWritten() {
        return read(t -> batches);
    }

    /** How many mutations the stored batches held. */
    public long mutationsWritten() {
        return read(t -> mutations);
    }

    @Override
    public boolean writable() {
        return read(t -> refusal == null);
    }

    /** Idempotent; afterwards every method throws "store is closed". */
    @Override
    public void close() {
        Lock l = lock.writeLock();
        l.lock();
        try {
            closed = true;
        } finally {
            l.unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StoreException("store is closed");
        }
    }

    private <T> T read(Function<MemoryTables, T> query) {
        Lock l = lock.readLock();
        l.lock();
        try {
            ensureOpen();
            return query.apply(tables);
        } finally {
            l.unlock();
        }
    }

    // ---- point reads

    @Override
    public Optional<UserRecord> user(long userId) {
        return read(t -> Optional.ofNullable(t.users.get(userId)));
    }

    @Override
    public Optional<UserRecord> userByName(String canonicalName) {
        Objects.requireNonNull(canonicalName, "canonicalName");
        return read(t -> Optional.ofNullable(MemoryRanges.named(t, canonicalName, t.names.get(canonicalName))));
    }

    @Override
    public Optional<TicketRecord> ticket(byte[] hash) {
        byte[] key = Objects.requireNonNull(hash, "hash").clone();
        return read(t -> Optional.ofNullable(t.tickets.get(MemoryTables.bytes(key))));
    }

    @Override
    public Optional<ConversationRecord> conversation(long conversationId) {
        return read(t -> Optional.ofNullable(t.conversations.get(conversationId)));
    }

    @Override
    public List<MemberRecord> members(long conversationId) {
        return read(t -> new ArrayList<>(MemoryTables.row(t.members, conversationId).values()));
    }

    @Override
    public List<MemberRecord> membersAfter(long conversationId, long afterUserId, int limit) {
        return read(t -> MemoryRanges.membersAfter(t, conversationId, afterUserId, limit));
    }

    @Override
    public List<Long> conversationsOf(long userId) {
        return read(t -> seconds(MemoryTables.row(t.userConversations, userId)));
    }

    private static List<Long> seconds(Iterable<K2> keys) {
        List<Long> out = new ArrayList<>();
        keys.forEach(k -> out.add(k.b()));
        return out;
    }

    @Override
    public OptionalLong directConversation(long userLo, long userHi) {
        return read(t -> {
            Long id = t.direct.get(new K2(userLo, userHi));
            return id == null ? OptionalLong.empty() : OptionalLong.of(id);
        });
    }

    @Override
    public Optional<MessageRecord> message(long conversationId, long seq) {
        return read(t -> Optional.ofNullable(t.messages.get(new K2(conversationId, seq))));
    }

    @Override
    public List<MessageRecord> messagesBefore(long conversationId, long beforeSeq, long minSeq, int limit) {
        return read(t -> MemoryRanges.messagesBefore(t, conversationId, beforeSeq, minSeq, limit));
    }

    @Override
    public long lastSeq(long conversationId) {
        return read(t -> MemoryRanges.lastSecond(t.messages, conversationId));
    }

    @Override
    public List<UpdateRecord> updatesAfter(long userId, long afterPts, int limit) {
        return read(t -> MemoryRanges.updatesAfter(t, userId, afterPts, limit));
    }

    @Override
    public long lastPts(long userId) {
        return read(t -> MemoryRanges.lastSecond(t.updates, userId));
    }

    @Override
    public Optional<DedupRecord> dedup(long deviceId, String clientMsgId) {
        Objects.requireNonNull(clientMsgId, "clientMsgId");
        return read(t -> Optional.ofNullable(t.dedups.get(new DedupKey(deviceId, clientMsgId))));
    }

    @Override
    public List<DedupRecord> dedupsBefore(long tsMs, int limit) {
        return read(t -> MemoryRanges.dedupsBefore(t, tsMs, limit));
    }

    @Override
    public List<TicketRecord> ticketsExpiredBefore(long ms, int limit) {
        return read(t -> MemoryRanges.ticketsExpiredBefore(t, ms, limit));
    }

    @Override
    public List<ReactionRecord> reactions(long conversationId, long seq, long afterUserId, int limit) {
        return read(t -> MemoryRanges.reactions(t, conversationId, seq, afterUserId, limit));
    }

    @Override
    public Optional<ReactionRecord> reaction(long conversationId, long seq, long userId) {
        return read(t -> Optional.ofNullable(t.reactions.get(new K3(conversationId, seq, userId))));
    }

    @Override
    public List<Long> hidden(long userId, long conversationId, long fromSeq, long toSeq) {
        return read(t -> MemoryRanges.hidden(t, userId, conversationId, fromSeq, toSeq));
    }

    @Override
    public List<Long> contactsOf(long ownerId) {
        return read(t -> seconds(MemoryTables.row(t.contacts, ownerId)));
    }

    @Override
    public Optional<PrivacyRecord> privacy(long userId) {
        return read(t -> Optional.ofNullable(t.privacy.get(userId)));
    }

    @Override
    public List<Long> blockedBy(long blockerId) {
        return read(t -> seconds(MemoryTables.row(t.blocks, blockerId)));
    }

    @Override
    public boolean banned(long conversationId, long userId) {
        return read(t -> t.bans.containsKey(new K2(conversationId, userId)));
    }

    @Override
    public Optional<InviteRecord> invite(byte[] hash) {
        byte[] key = Objects.requireNonNull(hash, "hash").clone();
        return read(t -> Optional.ofNullable(t.invites.get(MemoryTables.bytes(key))));
    }

    @Override
    public OptionalLong channelByName(String canonicalName) {
        Objects.requireNonNull(canonicalName, "canonicalName");
        return read(t -> {
            Long id = t.channelNames.get(canonicalName);
            return id == null ? OptionalLong.empty() : OptionalLong.of(id);
        });
    }

    @Override
    public List<ChannelNameRecord> channelNames(String prefix, int limit) {
        return read(t -> MemoryRanges.channelNames(t, prefix, limit));
    }

    @Override
    public Optional<DialogRecord> dialog(long userId, long conversationId) {
        return read(t -> Optional.ofNullable(t.dialogs.get(new K2(userId, conversationId))));
    }

    @Override
    public List<DialogRecord> dialogsOf(long userId) {
        return read(t -> new ArrayList<>(MemoryTables.row(t.dialogs, userId).values()));
    }

    @Override
    public Optional<UploadRecord> upload(String uploadId) {
        Objects.requireNonNull(uploadId, "uploadId");
        return read(t -> Optional.ofNullable(t.uploads.get(uploadId)));
    }

    @Override
    public List<UploadRecord> uploads(String afterId, int limit) {
        return read(t -> MemoryRanges.uploads(t, afterId, limit));
    }

    @Override
    public Optional<MediaRecord> media(String mediaId) {
        Objects.requireNonNull(mediaId, "mediaId");
        return read(t -> Optional.ofNullable(t.media.get(mediaId)));
    }

    @Override
    public List<MediaRecord> mediaPage(String afterId, int limit) {
        return read(t -> MemoryRanges.mediaPage(t, afterId, limit));
    }

    @Override
    public List<MediaUseRecord> mediaUses(String mediaId, int limit) {
        return read(t -> MemoryRanges.mediaUses(t, mediaId, limit));
    }

    @Override
    public Optional<BlobRefRecord> blobRef(String sha256) {
        Objects.requireNonNull(sha256, "sha256");
        return read(t -> Optional.ofNullable(t.blobRefs.get(sha256)));
    }

    @Override
    public List<BlobRefRecord> unreferencedBlobs(long beforeMs, int limit) {
        return read(t -> MemoryRanges.unreferencedBlobs(t, beforeMs, limit));
    }

    @Override
    public long usage(long userId) {
        return read(t -> t.usage.getOrDefault(userId, 0L));
    }

    @Override
    public long readMarker(long userId, long conversationId) {
        return read(t -> t.readMarkers.getOrDefault(new K2(userId, conversationId), 0L));
    }

    @Override
    public long deliveredMarker(long userId, long conversationId) {
        return read(t -> t.deliveredMarkers.getOrDefault(new K2(userId, conversationId), 0L));
    }

    @Override
    public long sequenceBound(String key) {
        Objects.requireNonNull(key, "key");
        return read(t -> t.sequenceBounds.getOrDefault(key, 0L));
    }

    @Override
    public long lastSeen(long userId) {
        return read(t -> t.lastSeen.getOrDefault(userId, 0L));
    }

    @Override
    public List<MessageRecord> messagesAfter(long conversationId, long afterSeq, int limit) {
        return read(t -> MemoryRanges.messagesAfter(t, conversationId, afterSeq, limit));
    }

    @Override
    public List<SearchBacklogRecord> searchBacklog(long afterId, int limit) {
        return read(t -> MemoryRanges.searchBacklog(t, afterId, limit));
    }

    @Override
    public long lastSearchBacklogId() {
        return read(MemoryRanges::lastSearchBacklogId);
    }

    @Override
    public List<UserRecord> usersByNamePrefix(String prefix, int limit) {
        return read(t -> MemoryRanges.usersByNamePrefix(t, prefix, limit));
    }
}
