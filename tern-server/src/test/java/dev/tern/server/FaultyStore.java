package dev.tern.server;

import dev.tern.core.store.ConversationRecord;
import dev.tern.core.store.DedupRecord;
import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.ReactionRecord;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.Store;
import dev.tern.core.store.StoreException;
import dev.tern.core.store.TicketRecord;
import dev.tern.core.store.UpdateRecord;
import dev.tern.core.store.UserRecord;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real store with writes that are slow or fail on demand, as a full disk or an I/O error would make them
 * fail: nothing of a failed batch is applied.
 */
final class FaultyStore implements Store {
    private final Store real;
    final AtomicBoolean failWrites = new AtomicBoolean();
    final AtomicInteger failedWrites = new AtomicInteger();
    /** Makes reads of sequencer bounds fail, as an I/O error on a cold read would. */
    final AtomicBoolean failBoundReads = new AtomicBoolean();
    /** Milliseconds each write takes before it happens, as a saturated or failing disk would. */
    volatile long writeDelayMs;

    FaultyStore(Store real) {
        this.real = real;
    }

    @Override
    public void write(List<Mutation> batch) {
        long delay = writeDelayMs;
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failWrites.get()) {
            failedWrites.incrementAndGet();
            throw new StoreException("injected: No space left on device");
        }
        real.write(batch);
    }

    @Override public Optional<UserRecord> user(long id) { return real.user(id); }
    @Override public Optional<UserRecord> userByName(String n) { return real.userByName(n); }
    @Override public Optional<TicketRecord> ticket(byte[] h) { return real.ticket(h); }
    @Override public Optional<ConversationRecord> conversation(long id) { return real.conversation(id); }
    @Override public List<MemberRecord> members(long c) { return real.members(c); }
    @Override public List<Long> conversationsOf(long u) { return real.conversationsOf(u); }
    @Override public OptionalLong directConversation(long lo, long hi) { return real.directConversation(lo, hi); }
    @Override public Optional<MessageRecord> message(long c, long s) { return real.message(c, s); }
    @Override public List<MessageRecord> messagesBefore(long c, long b, long m, int l) { return real.messagesBefore(c, b, m, l); }
    @Override public long lastSeq(long c) { return real.lastSeq(c); }
    @Override public List<UpdateRecord> updatesAfter(long u, long a, int l) { return real.updatesAfter(u, a, l); }
    @Override public long lastPts(long u) { return real.lastPts(u); }
    @Override public Optional<DedupRecord> dedup(long d, String id) { return real.dedup(d, id); }
    @Override public List<DedupRecord> dedupsBefore(long ts, int limit) { return real.dedupsBefore(ts, limit); }
    @Override public List<TicketRecord> ticketsExpiredBefore(long ms, int limit) { return real.ticketsExpiredBefore(ms, limit); }
    @Override public long readMarker(long u, long c) { return real.readMarker(u, c); }
    @Override public long deliveredMarker(long u, long c) { return real.deliveredMarker(u, c); }
    @Override public List<ReactionRecord> reactions(long c, long s, long after, int n) { return real.reactions(c, s, after, n); }
    @Override public Optional<ReactionRecord> reaction(long c, long s, long u) { return real.reaction(c, s, u); }
    @Override public List<Long> hidden(long u, long c, long from, long to) { return real.hidden(u, c, from, to); }
    @Override public boolean banned(long c, long u) { return real.banned(c, u); }
    @Override public List<Long> blockedBy(long u) { return real.blockedBy(u); }
    @Override public List<Long> contactsOf(long u) { return real.contactsOf(u); }
    @Override public Optional<dev.tern.core.store.PrivacyRecord> privacy(long u) { return real.privacy(u); }
    @Override public Optional<dev.tern.core.store.InviteRecord> invite(byte[] h) { return real.invite(h); }
    @Override public java.util.OptionalLong channelByName(String n) { return real.channelByName(n); }
    @Override public Optional<dev.tern.core.store.UploadRecord> upload(String id) { return real.upload(id); }
    @Override public List<dev.tern.core.store.UploadRecord> uploads(String a, int l) { return real.uploads(a, l); }
    @Override public Optional<dev.tern.core.store.MediaRecord> media(String id) { return real.media(id); }
    @Override public List<dev.tern.core.store.MediaRecord> mediaPage(String a, int l) { return real.mediaPage(a, l); }
    @Override public List<dev.tern.core.store.MediaUseRecord> mediaUses(String id, int l) { return real.mediaUses(id, l); }
    @Override public Optional<dev.tern.core.store.BlobRefRecord> blobRef(String s) { return real.blobRef(s); }
    @Override public List<dev.tern.core.store.BlobRefRecord> unreferencedBlobs(long b, int l) { return real.unreferencedBlobs(b, l); }
    @Override public long usage(long u) { return real.usage(u); }
    @Override public List<dev.tern.core.store.MemberRecord> membersAfter(long c, long a, int l) { return real.membersAfter(c, a, l); }
    @Override public List<dev.tern.core.store.ChannelNameRecord> channelNames(String p, int l) { return real.channelNames(p, l); }
    @Override public Optional<dev.tern.core.store.DialogRecord> dialog(long u, long c) { return real.dialog(u, c); }
    @Override public List<dev.tern.core.store.DialogRecord> dialogsOf(long u) { return real.dialogsOf(u); }
    @Override
    public long sequenceBound(String k) {
        if (failBoundReads.get()) {
            throw new StoreException("injected: read error");
        }
        return real.sequenceBound(k);
    }
    @Override public long lastSeen(long u) { return real.lastSeen(u); }
    @Override public void close() { real.close(); }
    @Override public List<MessageRecord> messagesAfter(long c, long after, int n) { return real.messagesAfter(c, after, n); }
    @Override public List<dev.tern.core.store.SearchBacklogRecord> searchBacklog(long after, int n) { return real.searchBacklog(after, n); }
    @Override public long lastSearchBacklogId() { return real.lastSearchBacklogId(); }
    @Override public List<UserRecord> usersByNamePrefix(String prefix, int n) { return real.usersByNamePrefix(prefix, n); }
}
