package dev.tern.store.rocksdb;

import dev.tern.core.store.BodyKind;
import dev.tern.core.store.ConversationKind;
import dev.tern.core.store.ConversationRecord;
import dev.tern.core.store.DedupRecord;
import dev.tern.core.store.DialogRecord;
import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.MemberRole;
import dev.tern.core.store.InviteRecord;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.PrivacyRecord;
import dev.tern.core.store.ReactionRecord;
import dev.tern.core.store.SearchBacklogRecord;
import dev.tern.core.store.StoreException;
import dev.tern.core.store.TicketRecord;
import dev.tern.core.store.UpdateKind;
import dev.tern.core.store.UpdateRecord;
import dev.tern.core.store.UserRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * Value encodings, format version 1 (layout in package-info). Fields that are part of the key are
 * not repeated in the value: decoders take them from the key. Enums are written as explicit codes,
 * never ordinals, so reordering an enum in the core cannot silently reinterpret stored data.
 */
final class ValueCodec {

    /** The value format of every family but users and messages. */
    static final int V1 = 1;
    /**
     * Users (V1 plus ticketsValidFromMs), messages (V1 plus reply, forward, edit, recall and
     * reaction fields) and conversations (V1 plus pinned seqs). V1 values of these, written by
     * older builds, still read.
     */
    static final int V2 = 2;
    /** Conversations: V2 plus the public name of a channel. V1 and V2 values still read. */
    static final int V3 = 3;

    private ValueCodec() {
    }

    // ---- users: id -> username, passwordHash, createdAtMs, ticketsValidFromMs (V2; V1 lacks the last)

    static byte[] user(UserRecord u) {
        return new ValueWriter(V2, 170)
                .string("username", u.username()).string("passwordHash", u.passwordHash())
                .varLong(u.createdAtMs()).varLong(u.ticketsValidFromMs()).toByteArray();
    }

    static UserRecord user(long id, byte[] v) {
        boolean v2 = v.length > 0 && (v[0] & 0xFF) == V2;
        ValueReader r = new ValueReader(Family.USERS.cfName(), v, v2 ? V2 : V1);
        UserRecord u = new UserRecord(id, r.string(), r.string(), r.varLong(), v2 ? r.varLong() : 0);
        r.end();
        return u;
    }

    // ---- single-long values: names -> userId, direct -> conversationId, reads, sequences, last_seen

    static byte[] number(long n) {
        return new ValueWriter(V1, 11).varLong(n).toByteArray();
    }

    static long number(String family, byte[] v) {
        ValueReader r = new ValueReader(family, v, V1);
        long n = r.varLong();
        r.end();
        return n;
    }

    // ---- tickets: hash -> userId, deviceId, deviceName, createdAtMs, expiresAtMs

    static byte[] ticket(TicketRecord t) {
        return new ValueWriter(V1, 48).varLong(t.userId()).varLong(t.deviceId())
                .string("deviceName", t.deviceName()).varLong(t.createdAtMs()).varLong(t.expiresAtMs())
                .toByteArray();
    }

    static TicketRecord ticket(byte[] hash, byte[] v) {
        ValueReader r = new ValueReader(Family.TICKETS.cfName(), v, V1);
        TicketRecord t = new TicketRecord(hash, r.varLong(), r.varLong(), r.string(), r.varLong(), r.varLong());
        r.end();
        return t;
    }

    // ---- conversations: id -> kind, title, createdAtMs (V1), then pinned seqs, description, posting
    // rules (V2), then the public name (V3)

    static byte[] conversation(ConversationRecord c) {
        ValueWriter w = new ValueWriter(V3, 48 + 5 * c.pinned().size()).code(conversationKind(c.kind()))
                .string("title", c.title()).varLong(c.createdAtMs()).varLong(c.pinned().size());
        for (long seq : c.pinned()) {
            w.varLong(seq);
        }
        return w.string("description", c.description()).code(c.adminsOnly() ? 1 : 0).varLong(c.slowModeSeconds())
                .string("publicName", c.publicName()).code(c.broadcast() ? 1 : 0).toByteArray();
    }

    static ConversationRecord conversation(long id, byte[] v) {
        int version = v.length > 0 && ((v[0] & 0xFF) == V2 || (v[0] & 0xFF) == V3) ? v[0] & 0xFF : V1;
        boolean v2 = version >= V2;
        ValueReader r = new ValueReader(Family.CONVERSATIONS.cfName(), v, version);
        ConversationKind kind = conversationKind(r, r.code());
        String title = r.string();
        long created = r.varLong();
        List<Long> pinned = new ArrayList<>();
        String description = "";
        boolean adminsOnly = false;
        int slowMode = 0;
        if (v2) {
            int n = r.count("pinned", 10_000);
            for (int i = 0; i < n; i++) {
                pinned.add(r.varLong());
            }
            description = r.string();
            adminsOnly = r.code() == 1;
            slowMode = (int) r.varLong();
        }
        String publicName = version == V3 ? r.string() : "";
        boolean broadcast = version == V3 && r.code() == 1;
        r.end();
        return new ConversationRecord(id, kind, title, created, pinned, description, adminsOnly, slowMode, publicName,
                broadcast);
    }

    // ---- dialogs: (userId, conversationId) -> muteUntilMs, archived, pinnedAtMs, draft, draftAtMs

    static byte[] dialog(DialogRecord d) {
        return new ValueWriter(V1, 32 + d.draft().length() * 3).varLong(d.muteUntilMs()).code(d.archived() ? 1 : 0)
                .varLong(d.pinnedAtMs()).string("draft", d.draft()).varLong(d.draftAtMs()).toByteArray();
    }

    static DialogRecord dialog(long userId, long conversationId, byte[] v) {
        ValueReader r = new ValueReader(Family.DIALOGS.cfName(), v, V1);
        DialogRecord d = new DialogRecord(userId, conversationId, r.varLong(), r.code() == 1, r.varLong(), r.string(),
                r.varLong());
        r.end();
        return d;
    }

    // ---- members: (conversationId, userId) -> role, joinedSeq

    static byte[] member(MemberRecord m) {
        return new ValueWriter(V1, 12).code(role(m.role())).varLong(m.joinedSeq()).toByteArray();
    }

    static MemberRecord member(long conversationId, long userId, byte[] v) {
        ValueReader r = new ValueReader(Family.MEMBERS.cfName(), v, V1);
        MemberRecord m = new MemberRecord(conversationId, userId, role(r, r.code()), r.varLong());
        r.end();
        return m;
    }

    // ---- messages: (conversationId, seq) -> sender..., bodyKind, body, tsMs (V1), then extras (V2):
    //      replyToSeq, forwardSenderId, forwardSenderName, forwardTsMs, editedAtMs, recalled (0/1)

    static byte[] message(MessageRecord m) {
        byte[] body = m.bodyUnsafe();
        MessageRecord.Extras e = m.extras();
        ValueWriter w = new ValueWriter(V3, 72 + body.length + e.forwardSenderName().length() + 12 * e.reactions().size()
                + e.media().size())
                .varLong(m.senderId()).string("senderName", m.senderName())
                .varLong(m.senderDeviceId()).string("clientMsgId", m.clientMsgId())
                .string("contentType", m.contentType()).code(bodyKind(m.bodyKind())).bytes("body", body)
                .varLong(m.tsMs())
                .varLong(e.replyToSeq()).varLong(e.forwardSenderId()).string("forwardSenderName", e.forwardSenderName())
                .varLong(e.forwardTsMs()).varLong(e.editedAtMs()).code(e.recalled() ? 1 : 0);
        w.varLong(e.reactions().size());
        for (MessageRecord.Reaction r : e.reactions()) {
            w.string("emoji", r.emoji()).varLong(r.count());
        }
        w.varLong(e.mentions().size());
        for (long id : e.mentions()) {
            w.varLong(id);
        }
        return w.bytes("media", e.media().toByteArray()).toByteArray();
    }

    static MessageRecord message(long conversationId, long seq, byte[] v) {
        int version = v.length > 0 && ((v[0] & 0xFF) == V2 || (v[0] & 0xFF) == V3) ? v[0] & 0xFF : V1;
        boolean v2 = version >= V2;
        ValueReader r = new ValueReader(Family.MESSAGES.cfName(), v, version);
        long senderId = r.varLong();
        String senderName = r.string();
        long senderDevice = r.varLong();
        String clientMsgId = r.string();
        String contentType = r.string();
        BodyKind kind = bodyKind(r, r.code());
        byte[] body = r.bytes();
        long ts = r.varLong();
        MessageRecord.Extras extras = v2 ? extras(r) : MessageRecord.Extras.NONE;
        if (version == V3) {
            extras = extras.withMedia(com.google.protobuf.ByteString.copyFrom(r.bytes()));
        }
        r.end();
        return new MessageRecord(conversationId, seq, senderId, senderName, senderDevice, clientMsgId, contentType, kind,
                body, ts, extras);
    }

    private static MessageRecord.Extras extras(ValueReader r) {
        long replyTo = r.varLong();
        long forwardSender = r.varLong();
        String forwardName = r.string();
        long forwardTs = r.varLong();
        long edited = r.varLong();
        boolean recalled = r.code() == 1;
        int n = r.count("reaction", 10_000);
        List<MessageRecord.Reaction> reactions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            reactions.add(new MessageRecord.Reaction(r.string(), (int) r.varLong()));
        }
        int m = r.count("mention", 100_000);
        List<Long> mentions = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            mentions.add(r.varLong());
        }
        return new MessageRecord.Extras(replyTo, forwardSender, forwardName, forwardTs, edited, recalled, reactions,
                mentions);
    }

    // ---- privacy: userId -> code lastSeen, code readReceipts (EVERYONE=1 CONTACTS=2 NOBODY=3)

    static byte[] privacy(PrivacyRecord p) {
        return new ValueWriter(V1, 3).code(visibility(p.lastSeen())).code(visibility(p.readReceipts())).toByteArray();
    }

    static PrivacyRecord privacy(long userId, byte[] v) {
        ValueReader r = new ValueReader(Family.PRIVACY.cfName(), v, V1);
        PrivacyRecord p = new PrivacyRecord(userId, visibility(r, r.code()), visibility(r, r.code()));
        r.end();
        return p;
    }

    private static int visibility(PrivacyRecord.Visibility v) {
        return switch (required("visibility", v)) {
            case EVERYONE -> 1;
            case CONTACTS -> 2;
            case NOBODY -> 3;
        };
    }

    private static PrivacyRecord.Visibility visibility(ValueReader r, int code) {
        return switch (code) {
            case 1 -> PrivacyRecord.Visibility.EVERYONE;
            case 2 -> PrivacyRecord.Visibility.CONTACTS;
            case 3 -> PrivacyRecord.Visibility.NOBODY;
            default -> throw r.corrupt("unknown visibility code " + code);
        };
    }

    // ---- invites: sha256(token) -> conversationId, creatorId, createdAtMs

    static byte[] invite(InviteRecord i) {
        return new ValueWriter(V1, 32).varLong(i.conversationId()).varLong(i.creatorId()).varLong(i.createdAtMs())
                .toByteArray();
    }

    static InviteRecord invite(byte[] hash, byte[] v) {
        ValueReader r = new ValueReader(Family.INVITES.cfName(), v, V1);
        InviteRecord i = new InviteRecord(hash, r.varLong(), r.varLong(), r.varLong());
        r.end();
        return i;
    }

    // ---- search backlog: id -> conversationId, seq

    static byte[] searchBacklog(SearchBacklogRecord b) {
        return new ValueWriter(V1, 21).varLong(b.conversationId()).varLong(b.seq()).toByteArray();
    }

    static SearchBacklogRecord searchBacklog(long id, byte[] v) {
        ValueReader r = new ValueReader(Family.SEARCH_BACKLOG.cfName(), v, V1);
        SearchBacklogRecord b = new SearchBacklogRecord(id, r.varLong(), r.varLong());
        r.end();
        return b;
    }

    // ---- reactions: (conversationId, seq, userId) -> count, emoji...

    static byte[] reaction(ReactionRecord rr) {
        ValueWriter w = new ValueWriter(V1, 8 + 8 * rr.emoji().size()).varLong(rr.emoji().size());
        for (String e : rr.emoji()) {
            w.string("emoji", e);
        }
        return w.toByteArray();
    }

    static ReactionRecord reaction(long conversationId, long seq, long userId, byte[] v) {
        ValueReader r = new ValueReader(Family.REACTIONS.cfName(), v, V1);
        int n = r.count("emoji", 1_000);
        List<String> emoji = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            emoji.add(r.string());
        }
        r.end();
        return new ReactionRecord(conversationId, seq, userId, emoji);
    }

    // ---- updates: (userId, pts) -> prevPts, kind, conversationId, seq, actorId

    static byte[] update(UpdateRecord u) {
        return new ValueWriter(V1, 32).varLong(u.prevPts()).code(updateKind(u.kind())).varLong(u.conversationId())
                .varLong(u.seq()).varLong(u.actorId()).toByteArray();
    }

    static UpdateRecord update(long userId, long pts, byte[] v) {
        ValueReader r = new ValueReader(Family.UPDATES.cfName(), v, V1);
        UpdateRecord u = new UpdateRecord(userId, pts, r.varLong(), updateKind(r, r.code()), r.varLong(),
                r.varLong(), r.varLong());
        r.end();
        return u;
    }

    // ---- dedup: (deviceId, clientMsgId) -> conversationId, seq, pts, prevPts, tsMs

    static byte[] dedup(DedupRecord d) {
        return new ValueWriter(V1, 40).varLong(d.conversationId()).varLong(d.seq()).varLong(d.pts())
                .varLong(d.prevPts()).varLong(d.tsMs()).toByteArray();
    }

    static DedupRecord dedup(long deviceId, String clientMsgId, byte[] v) {
        ValueReader r = new ValueReader(Family.DEDUP.cfName(), v, V1);
        DedupRecord d = new DedupRecord(deviceId, clientMsgId, r.varLong(), r.varLong(), r.varLong(), r.varLong(),
                r.varLong());
        r.end();
        return d;
    }

    // ---- enum codes: append-only tables; a code is never reused for another meaning

    private static int conversationKind(ConversationKind k) {
        return switch (required("kind", k)) {
            case DIRECT -> 1;
            case GROUP -> 2;
            case CHANNEL -> 3;
        };
    }

    private static ConversationKind conversationKind(ValueReader r, int code) {
        return switch (code) {
            case 1 -> ConversationKind.DIRECT;
            case 2 -> ConversationKind.GROUP;
            case 3 -> ConversationKind.CHANNEL;
            default -> throw r.corrupt("unknown conversation kind code " + code);
        };
    }

    private static int role(MemberRole role) {
        return switch (required("role", role)) {
            case MEMBER -> 1;
            case ADMIN -> 2;
            case OWNER -> 3;
        };
    }

    private static MemberRole role(ValueReader r, int code) {
        return switch (code) {
            case 1 -> MemberRole.MEMBER;
            case 2 -> MemberRole.ADMIN;
            case 3 -> MemberRole.OWNER;
            default -> throw r.corrupt("unknown member role code " + code);
        };
    }

    private static int bodyKind(BodyKind kind) {
        return switch (required("bodyKind", kind)) {
            case TEXT -> 1;
            case DATA -> 2;
            case SERVICE -> 3;
        };
    }

    private static BodyKind bodyKind(ValueReader r, int code) {
        return switch (code) {
            case 1 -> BodyKind.TEXT;
            case 2 -> BodyKind.DATA;
            case 3 -> BodyKind.SERVICE;
            default -> throw r.corrupt("unknown body kind code " + code);
        };
    }

    private static int updateKind(UpdateKind kind) {
        return switch (required("update kind", kind)) {
            case MESSAGE -> 1;
            case READ -> 2;
            case EDIT -> 3;
            case RECALL -> 4;
            case REACTION -> 5;
            case HIDE -> 6;
            case DIALOG -> 7;
        };
    }

    private static UpdateKind updateKind(ValueReader r, int code) {
        return switch (code) {
            case 1 -> UpdateKind.MESSAGE;
            case 2 -> UpdateKind.READ;
            case 3 -> UpdateKind.EDIT;
            case 4 -> UpdateKind.RECALL;
            case 5 -> UpdateKind.REACTION;
            case 6 -> UpdateKind.HIDE;
            case 7 -> UpdateKind.DIALOG;
            default -> throw r.corrupt("unknown update kind code " + code);
        };
    }

    private static <E extends Enum<E>> E required(String field, E value) {
        if (value == null) {
            throw new StoreException("cannot store null " + field);
        }
        return value;
    }
}
