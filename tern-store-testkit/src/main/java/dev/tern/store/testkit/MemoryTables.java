package dev.tern.store.testkit;

import dev.tern.core.store.BanRecord;
import dev.tern.core.store.BlobRefRecord;
import dev.tern.core.store.BlockRecord;
import dev.tern.core.store.ChannelNameRecord;
import dev.tern.core.store.ContactRecord;
import dev.tern.core.store.ConversationRecord;
import dev.tern.core.store.DedupRecord;
import dev.tern.core.store.DeleteBan;
import dev.tern.core.store.DeleteBlobRef;
import dev.tern.core.store.DeleteBlock;
import dev.tern.core.store.DeleteContact;
import dev.tern.core.store.DeleteDedup;
import dev.tern.core.store.DeleteInvite;
import dev.tern.core.store.DeleteMedia;
import dev.tern.core.store.DeleteMember;
import dev.tern.core.store.DeleteSearchBacklog;
import dev.tern.core.store.DeleteTicket;
import dev.tern.core.store.DeleteUpload;
import dev.tern.core.store.DeliveredMarkerRecord;
import dev.tern.core.store.DialogRecord;
import dev.tern.core.store.DirectRecord;
import dev.tern.core.store.HiddenRecord;
import dev.tern.core.store.InviteRecord;
import dev.tern.core.store.LastSeenRecord;
import dev.tern.core.store.MediaRecord;
import dev.tern.core.store.MediaUseRecord;
import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.PrivacyRecord;
import dev.tern.core.store.ReactionRecord;
import dev.tern.core.store.ReadMarkerRecord;
import dev.tern.core.store.SearchBacklogRecord;
import dev.tern.core.store.SequenceBound;
import dev.tern.core.store.TicketRecord;
import dev.tern.core.store.UpdateRecord;
import dev.tern.core.store.UploadRecord;
import dev.tern.core.store.UsageRecord;
import dev.tern.core.store.UserRecord;
import dev.tern.store.testkit.MemoryKeys.DedupAt;
import dev.tern.store.testkit.MemoryKeys.DedupKey;
import dev.tern.store.testkit.MemoryKeys.K2;
import dev.tern.store.testkit.MemoryKeys.K3;
import dev.tern.store.testkit.MemoryKeys.TicketAt;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

import static dev.tern.store.testkit.MemoryKeys.MAX;

/**
 * The state of a {@link MemoryStore}: one map per key space of the port, sorted where the port reads
 * ranges (in the order of {@link MemoryKeys}), hashed where it only reads points. Not thread-safe:
 * the store calls it under its lock. Records are immutable (or copy their arrays), so they are kept
 * and handed out as they are.
 */
final class MemoryTables {

    final Map<Long, UserRecord> users = new HashMap<>();
    /** Written with every user, never removed: a rename leaves the old name here, and reads check the user. */
    final NavigableMap<String, Long> names = new TreeMap<>(MemoryKeys.UTF8);
    final Map<ByteBuffer, TicketRecord> tickets = new HashMap<>();
    final NavigableMap<TicketAt, TicketRecord> ticketsByExpiry = new TreeMap<>();
    final Map<Long, ConversationRecord> conversations = new HashMap<>();
    final NavigableMap<K2, MemberRecord> members = new TreeMap<>();
    /** (userId, conversationId): the second index of a membership. */
    final NavigableSet<K2> userConversations = new TreeSet<>();
    final Map<K2, Long> direct = new HashMap<>();
    final NavigableMap<K2, MessageRecord> messages = new TreeMap<>();
    final NavigableMap<K2, UpdateRecord> updates = new TreeMap<>();
    final Map<K2, Long> readMarkers = new HashMap<>();
    final Map<K2, Long> deliveredMarkers = new HashMap<>();
    final Map<DedupKey, DedupRecord> dedups = new HashMap<>();
    final NavigableMap<DedupAt, DedupRecord> dedupsByTime = new TreeMap<>();
    final Map<String, Long> sequenceBounds = new HashMap<>();
    final Map<Long, Long> lastSeen = new HashMap<>();
    final NavigableMap<K3, ReactionRecord> reactions = new TreeMap<>();
    /** (userId, conversationId, seq). */
    final NavigableSet<K3> hidden = new TreeSet<>();
    final Map<K2, BanRecord> bans = new HashMap<>();
    final Map<ByteBuffer, InviteRecord> invites = new HashMap<>();
    final NavigableSet<K2> blocks = new TreeSet<>();
    final NavigableSet<K2> contacts = new TreeSet<>();
    final Map<Long, PrivacyRecord> privacy = new HashMap<>();
    final NavigableMap<String, Long> channelNames = new TreeMap<>(MemoryKeys.UTF8);
    final NavigableMap<K2, DialogRecord> dialogs = new TreeMap<>();
    final NavigableMap<Long, SearchBacklogRecord> searchBacklog = new TreeMap<>(MemoryKeys.UNSIGNED);

    final NavigableMap<String, UploadRecord> uploads = new TreeMap<>(MemoryKeys.UTF8);
    final NavigableMap<String, MediaRecord> media = new TreeMap<>(MemoryKeys.UTF8);
    /** mediaId -> (conversationId, seq) of each message it was sent in. */
    final Map<String, NavigableSet<K2>> mediaUses = new HashMap<>();
    final NavigableMap<String, BlobRefRecord> blobRefs = new TreeMap<>(MemoryKeys.UTF8);
    final Map<Long, Long> usage = new HashMap<>();

    static ByteBuffer bytes(byte[] copy) {
        return ByteBuffer.wrap(copy);
    }

    /** Every key of {@code map} whose first part is {@code a}, in order. */
    static <V> NavigableMap<K2, V> row(NavigableMap<K2, V> map, long a) {
        return map.subMap(new K2(a, 0), true, new K2(a, MAX), true);
    }

    static NavigableSet<K2> row(NavigableSet<K2> set, long a) {
        return set.subSet(new K2(a, 0), true, new K2(a, MAX), true);
    }

    /**
     * Applies one mutation, already checked by {@link MemoryChecks}. The switch has no default: a new
     * mutation in the port is a compile error here, as in the embedded store's encoder.
     */
    void apply(Mutation mutation) {
        switch (mutation) {
            case UserRecord u -> {
                users.put(u.id(), u);
                names.put(u.username(), u.id());
            }
            case TicketRecord t -> {
                removeTicket(t.hash());
                tickets.put(bytes(t.hash()), t);
                ticketsByExpiry.put(new TicketAt(t.expiresAtMs(), t.hash()), t);
            }
            case DeleteTicket d -> removeTicket(d.hash());
            case ConversationRecord c -> conversations.put(c.id(), c);
            case MemberRecord m -> {
                members.put(new K2(m.conversationId(), m.userId()), m);
                userConversations.add(new K2(m.userId(), m.conversationId()));
            }
            case DeleteMember d -> {
                members.remove(new K2(d.conversationId(), d.userId()));
                userConversations.remove(new K2(d.userId(), d.conversationId()));
            }
            case MessageRecord m -> messages.put(new K2(m.conversationId(), m.seq()), m);
            case UpdateRecord u -> updates.put(new K2(u.userId(), u.pts()), u);
            case ReadMarkerRecord r -> readMarkers.put(new K2(r.userId(), r.conversationId()), r.upToSeq());
            case DeliveredMarkerRecord d -> deliveredMarkers.put(new K2(d.userId(), d.conversationId()), d.upToSeq());
            case DedupRecord d -> {
                removeDedup(d.deviceId(), d.clientMsgId());
                dedups.put(new DedupKey(d.deviceId(), d.clientMsgId()), d);
                dedupsByTime.put(new DedupAt(d.tsMs(), d.deviceId(), d.clientMsgId()), d);
            }
            case DeleteDedup d -> removeDedup(d.deviceId(), d.clientMsgId());
            case SequenceBound s -> sequenceBounds.put(s.key(), s.bound());
            case DirectRecord d -> direct.put(new K2(d.userLo(), d.userHi()), d.conversationId());
            case LastSeenRecord l -> lastSeen.put(l.userId(), l.atMs());
            case ReactionRecord r -> {
                K3 key = new K3(r.conversationId(), r.seq(), r.userId());
                if (r.emoji().isEmpty()) {
                    reactions.remove(key);
                } else {
                    reactions.put(key, r);
                }
            }
            case HiddenRecord h -> hidden.add(new K3(h.userId(), h.conversationId(), h.seq()));
            case BanRecord b -> bans.put(new K2(b.conversationId(), b.userId()), b);
            case DeleteBan d -> bans.remove(new K2(d.conversationId(), d.userId()));
            case InviteRecord i -> invites.put(bytes(i.hash()), i);
            case DeleteInvite d -> invites.remove(bytes(d.hash()));
            case BlockRecord b -> blocks.add(new K2(b.blockerId(), b.blockedId()));
            case DeleteBlock d -> blocks.remove(new K2(d.blockerId(), d.blockedId()));
            case ContactRecord c -> contacts.add(new K2(c.ownerId(), c.contactId()));
            case DeleteContact d -> contacts.remove(new K2(d.ownerId(), d.contactId()));
            case PrivacyRecord p -> privacy.put(p.userId(), p);
            case ChannelNameRecord c -> channelNames.put(c.canonicalName(), c.conversationId());
            case DialogRecord d -> dialogs.put(new K2(d.userId(), d.conversationId()), d);
            case SearchBacklogRecord b -> searchBacklog.put(b.id(), b);
            case DeleteSearchBacklog d -> {
                if (d.upToId() >= 0) { // ids are non-negative; in unsigned order the head holds exactly 0..upToId
                    searchBacklog.headMap(d.upToId(), true).clear();
                }
            }
            case UploadRecord u -> uploads.put(u.uploadId(), u);
            case DeleteUpload d -> uploads.remove(d.uploadId());
            case MediaRecord m -> media.put(m.mediaId(), m);
            case DeleteMedia d -> media.remove(d.mediaId());
            case MediaUseRecord u -> mediaUses.computeIfAbsent(u.mediaId(), k -> new TreeSet<>())
                    .add(new K2(u.conversationId(), u.seq()));
            case BlobRefRecord b -> blobRefs.put(b.sha256(), b);
            case DeleteBlobRef d -> blobRefs.remove(d.sha256());
            case UsageRecord u -> usage.put(u.userId(), u.bytes());
        }
    }

    /** Removes a ticket and its entry in the time index, so an upsert that moves its expiry leaves none behind. */
    private void removeTicket(byte[] hash) {
        TicketRecord old = tickets.remove(bytes(hash));
        if (old != null) {
            ticketsByExpiry.remove(new TicketAt(old.expiresAtMs(), hash));
        }
    }

    private void removeDedup(long deviceId, String clientMsgId) {
        DedupRecord old = dedups.remove(new DedupKey(deviceId, clientMsgId));
        if (old != null) {
            dedupsByTime.remove(new DedupAt(old.tsMs(), deviceId, clientMsgId));
        }
    }
}
