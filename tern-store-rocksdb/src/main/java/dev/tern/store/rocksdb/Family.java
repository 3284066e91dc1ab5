package dev.tern.store.rocksdb;

import java.nio.charset.StandardCharsets;

/**
 * The column families, one per key space. Separate families rather than one-byte prefixes because
 * each key space gets the options that fit how it is read: point-lookup families get bloom filters,
 * the two append-mostly logs get LZ4 and bigger blocks for range scans, and a flush or compaction of
 * the busy message log never rewrites the small, hot user and ticket tables.
 */
enum Family {
    USERS("users", Access.POINT),
    NAMES("user_names", Access.POINT),
    TICKETS("tickets", Access.POINT),
    CONVERSATIONS("conversations", Access.POINT),
    MEMBERS("members", Access.RANGE),
    USER_CONVS("user_convs", Access.RANGE),
    DIRECT("direct", Access.POINT),
    MESSAGES("messages", Access.LOG),
    UPDATES("updates", Access.LOG),
    READS("read_markers", Access.POINT),
    DELIVERED("delivered_markers", Access.POINT),
    DEDUP("dedup", Access.POINT),
    SEQUENCES("sequences", Access.POINT),
    LAST_SEEN("last_seen", Access.POINT),
    REACTIONS("reactions", Access.RANGE),
    HIDDEN("hidden", Access.RANGE),
    BANS("bans", Access.POINT),
    INVITES("invites", Access.POINT),
    BLOCKS("blocks", Access.RANGE),
    CONTACTS("contacts", Access.RANGE),
    PRIVACY("privacy", Access.POINT),
    CHANNEL_NAMES("channel_names", Access.RANGE),
    DIALOGS("dialogs", Access.RANGE),
    SEARCH_BACKLOG("search_backlog", Access.RANGE),
    UPLOADS("uploads", Access.RANGE),
    MEDIA("media", Access.POINT),
    MEDIA_USES("media_uses", Access.RANGE),
    BLOB_REFS("blob_refs", Access.RANGE),
    USAGE("usage", Access.POINT),
    /** Dedup keys by tsMs, for the sweep (layout 2). */
    DEDUP_BY_TIME("dedup_by_time", Access.RANGE),
    /** Ticket hashes by expiresAtMs, for the sweep (layout 2). */
    TICKETS_BY_EXPIRY("tickets_by_expiry", Access.RANGE);

    /** How a family is read, which decides its table options (see {@link RocksEngine}). */
    enum Access {
        /** Only point gets, many of them misses (name taken? ticket valid?): bloom filter, no compression. */
        POINT,
        /** Short prefix scans of small values: no filter (scans cannot use whole-key blooms). */
        RANGE,
        /** Large, append-mostly, scanned by range and read cold: LZ4 and 16 KiB blocks. */
        LOG
    }

    private final String cfName;
    private final Access access;

    Family(String cfName, Access access) {
        this.cfName = cfName;
        this.access = access;
    }

    String cfName() {
        return cfName;
    }

    byte[] cfNameBytes() {
        return cfName.getBytes(StandardCharsets.UTF_8);
    }

    Access access() {
        return access;
    }
}
