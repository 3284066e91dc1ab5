package dev.tern.store.rocksdb;

import dev.tern.core.store.ChannelNameRecord;
import dev.tern.core.store.BlobRefRecord;
import dev.tern.core.store.ConversationRecord;
import dev.tern.core.store.DeleteBlobRef;
import dev.tern.core.store.DeleteMedia;
import dev.tern.core.store.DeleteUpload;
import dev.tern.core.store.MediaRecord;
import dev.tern.core.store.MediaUseRecord;
import dev.tern.core.store.UploadRecord;
import dev.tern.core.store.UsageRecord;
import dev.tern.core.store.DialogRecord;
import dev.tern.core.store.DedupRecord;
import dev.tern.core.store.DeleteDedup;
import dev.tern.core.store.DeliveredMarkerRecord;
import dev.tern.core.store.DeleteMember;
import dev.tern.core.store.DeleteTicket;
import dev.tern.core.store.DirectRecord;
import dev.tern.core.store.LastSeenRecord;
import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.BanRecord;
import dev.tern.core.store.BlockRecord;
import dev.tern.core.store.ContactRecord;
import dev.tern.core.store.DeleteContact;
import dev.tern.core.store.PrivacyRecord;
import dev.tern.core.store.DeleteBlock;
import dev.tern.core.store.DeleteBan;
import dev.tern.core.store.DeleteInvite;
import dev.tern.core.store.HiddenRecord;
import dev.tern.core.store.InviteRecord;
import dev.tern.core.store.ReactionRecord;
import dev.tern.core.store.ReadMarkerRecord;
import dev.tern.core.store.SearchBacklogRecord;
import dev.tern.core.store.DeleteSearchBacklog;
import dev.tern.core.store.SequenceBound;
import dev.tern.core.store.StoreException;
import dev.tern.core.store.TicketRecord;
import dev.tern.core.store.UpdateRecord;
import dev.tern.core.store.UserRecord;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Turns port mutations into WriteBatch operations. All encoding happens here, before anything reaches
 * the database, so an unencodable mutation fails the whole batch while it is still only in memory.
 * The switch is over the sealed {@link Mutation} without a default: a new mutation type in the core
 * is a compile error here rather than a silently dropped write.
 */
final class BatchEncoder {

    /** The value of a user_convs entry: the format version alone, the key is the whole fact. */
    static final byte[] PRESENCE = {(byte) ValueCodec.V1};

    private final RocksEngine engine;

    BatchEncoder(RocksEngine engine) {
        this.engine = engine;
    }

    /** Adds {@code mutation} to {@code batch}; {@code indexes} keeps the time indexes in step (see {@link TimeIndex}). */
    void add(WriteBatch batch, Mutation mutation, TimeIndex.Batch indexes) throws RocksDBException {
        switch (mutation) {
            case null -> throw new StoreException("batch contains a null mutation");
            case UserRecord u -> {
                byte[] value = ValueCodec.user(u);
                put(batch, Family.USERS, Keys.id(u.id()), value);
                // The name index is overwritten, never deleted: a rename leaves the old name pointing
                // at this id, and RocksStore.userByName ignores entries whose user has another name.
                put(batch, Family.NAMES, Keys.utf8(u.username()), ValueCodec.number(u.id()));
            }
            case TicketRecord t -> {
                byte[] value = ValueCodec.ticket(t);
                put(batch, Family.TICKETS, t.hash(), value);
                indexes.put(batch, TimeIndex.TICKETS, t.hash(), t.expiresAtMs());
            }
            case DeleteTicket d -> {
                batch.delete(engine.handle(Family.TICKETS), d.hash());
                indexes.delete(batch, TimeIndex.TICKETS, d.hash());
            }
            case ConversationRecord c -> put(batch, Family.CONVERSATIONS, Keys.id(c.id()), ValueCodec.conversation(c));
            case MemberRecord m -> {
                put(batch, Family.MEMBERS, Keys.pair(m.conversationId(), m.userId()), ValueCodec.member(m));
                put(batch, Family.USER_CONVS, Keys.pair(m.userId(), m.conversationId()), PRESENCE);
            }
            case DeleteMember d -> {
                batch.delete(engine.handle(Family.MEMBERS), Keys.pair(d.conversationId(), d.userId()));
                batch.delete(engine.handle(Family.USER_CONVS), Keys.pair(d.userId(), d.conversationId()));
            }
            case MessageRecord m -> put(batch, Family.MESSAGES, Keys.pair(m.conversationId(), m.seq()),
                    ValueCodec.message(m));
            case UpdateRecord u -> put(batch, Family.UPDATES, Keys.pair(u.userId(), u.pts()), ValueCodec.update(u));
            case ReadMarkerRecord r -> put(batch, Family.READS, Keys.pair(r.userId(), r.conversationId()),
                    ValueCodec.number(r.upToSeq()));
            case DeliveredMarkerRecord d -> put(batch, Family.DELIVERED, Keys.pair(d.userId(), d.conversationId()),
                    ValueCodec.number(d.upToSeq()));
            case DedupRecord d -> {
                byte[] value = ValueCodec.dedup(d);
                byte[] key = Keys.idAndString(d.deviceId(), keyString("clientMsgId", d.clientMsgId()));
                put(batch, Family.DEDUP, key, value);
                indexes.put(batch, TimeIndex.DEDUP, key, d.tsMs());
            }
            case DeleteDedup d -> {
                byte[] key = Keys.idAndString(d.deviceId(), keyString("clientMsgId", d.clientMsgId()));
                batch.delete(engine.handle(Family.DEDUP), key);
                indexes.delete(batch, TimeIndex.DEDUP, key);
            }
            case SequenceBound s -> put(batch, Family.SEQUENCES, Keys.utf8(keyString("sequence key", s.key())),
                    ValueCodec.number(s.bound()));
            case DirectRecord d -> put(batch, Family.DIRECT, Keys.pair(d.userLo(), d.userHi()),
                    ValueCodec.number(d.conversationId()));
            case LastSeenRecord l -> put(batch, Family.LAST_SEEN, Keys.id(l.userId()), ValueCodec.number(l.atMs()));
            case BanRecord b -> put(batch, Family.BANS, Keys.pair(b.conversationId(), b.userId()),
                    new ValueWriter(ValueCodec.V1, 12).varLong(b.byUserId()).varLong(b.atMs()).toByteArray());
            case DeleteBan d -> batch.delete(engine.handle(Family.BANS), Keys.pair(d.conversationId(), d.userId()));
            case InviteRecord i -> put(batch, Family.INVITES, i.hash(), ValueCodec.invite(i));
            case DeleteInvite d -> batch.delete(engine.handle(Family.INVITES), d.hash());
            case ContactRecord c -> put(batch, Family.CONTACTS, Keys.pair(c.ownerId(), c.contactId()), PRESENCE);
            case DeleteContact d -> batch.delete(engine.handle(Family.CONTACTS), Keys.pair(d.ownerId(), d.contactId()));
            case PrivacyRecord p -> put(batch, Family.PRIVACY, Keys.id(p.userId()), ValueCodec.privacy(p));
            case BlockRecord b -> put(batch, Family.BLOCKS, Keys.pair(b.blockerId(), b.blockedId()), PRESENCE);
            case DeleteBlock d -> batch.delete(engine.handle(Family.BLOCKS), Keys.pair(d.blockerId(), d.blockedId()));
            case ChannelNameRecord c -> put(batch, Family.CHANNEL_NAMES, Keys.utf8(keyString("name", c.canonicalName())),
                    ValueCodec.number(c.conversationId()));
            case DialogRecord d -> put(batch, Family.DIALOGS, Keys.pair(d.userId(), d.conversationId()),
                    ValueCodec.dialog(d));
            case UploadRecord u -> put(batch, Family.UPLOADS, Keys.utf8(keyString("uploadId", u.uploadId())),
                    MediaCodec.upload(u));
            case DeleteUpload d -> batch.delete(engine.handle(Family.UPLOADS), Keys.utf8(keyString("uploadId", d.uploadId())));
            case MediaRecord m -> put(batch, Family.MEDIA, Keys.utf8(keyString("mediaId", m.mediaId())), MediaCodec.media(m));
            case DeleteMedia d -> batch.delete(engine.handle(Family.MEDIA), Keys.utf8(keyString("mediaId", d.mediaId())));
            case MediaUseRecord u -> put(batch, Family.MEDIA_USES, mediaUseKey(u), PRESENCE);
            case BlobRefRecord b -> put(batch, Family.BLOB_REFS, Keys.utf8(keyString("sha256", b.sha256())),
                    MediaCodec.blobRef(b));
            case DeleteBlobRef d -> batch.delete(engine.handle(Family.BLOB_REFS), Keys.utf8(keyString("sha256", d.sha256())));
            case UsageRecord u -> put(batch, Family.USAGE, Keys.id(u.userId()), ValueCodec.number(u.bytes()));
            case HiddenRecord h -> put(batch, Family.HIDDEN, Keys.triple(h.userId(), h.conversationId(), h.seq()),
                    PRESENCE);
            case SearchBacklogRecord b -> put(batch, Family.SEARCH_BACKLOG, Keys.id(b.id()),
                    ValueCodec.searchBacklog(b));
            // One range tombstone for the whole processed prefix instead of a tombstone per entry.
            // upToId + 1 wraps at Long.MAX_VALUE to the key just above it, which is still right.
            case DeleteSearchBacklog d -> {
                if (d.upToId() >= 0) {
                    batch.deleteRange(engine.handle(Family.SEARCH_BACKLOG), Keys.id(0), Keys.id(d.upToId() + 1));
                }
            }
            case ReactionRecord r -> {
                byte[] key = Keys.triple(r.conversationId(), r.seq(), r.userId());
                if (r.emoji().isEmpty()) {
                    batch.delete(engine.handle(Family.REACTIONS), key);
                } else {
                    put(batch, Family.REACTIONS, key, ValueCodec.reaction(r));
                }
            }
        }
    }

    /** utf8 mediaId, 0x00, u64 conversationId, u64 seq: ids are hex, so the 0 byte ends the id. */
    static byte[] mediaUseKey(MediaUseRecord u) {
        byte[] id = Keys.utf8(keyString("mediaId", u.mediaId()));
        byte[] k = java.util.Arrays.copyOf(id, id.length + 1 + 2 * Keys.LONG);
        System.arraycopy(Keys.pair(u.conversationId(), u.seq()), 0, k, id.length + 1, 2 * Keys.LONG);
        return k;
    }

    private void put(WriteBatch batch, Family family, byte[] key, byte[] value) throws RocksDBException {
        batch.put(engine.handle(family), key, value);
    }

    private static String keyString(String field, String s) {
        if (s == null) {
            throw new StoreException("cannot store null " + field);
        }
        return s;
    }
}
