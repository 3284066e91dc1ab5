/**
 * The embedded default store: {@link dev.tern.store.rocksdb.RocksStore}, the
 * {@link dev.tern.core.store.Store} port on RocksDB. RocksEngine opens the database and its column
 * families; RocksAccess runs every call under the lifecycle lock and holds the point reads and
 * bounded iterators; BatchEncoder turns mutations into one atomic WriteBatch; RocksStore answers the
 * reads (the media families' in MediaReads, search's in SearchReads); TimeIndex keeps and reads the
 * indexes by time of the records that expire; ValueCodec and MediaCodec encode the values below.
 *
 * <h2>Key layout (layout version 2)</h2>
 * Notation: {@code u64} is an 8-byte big-endian long, {@code utf8} raw UTF-8 bytes with no length
 * (always the last key part), {@code vlong} an unsigned LEB128 varint (1-10 bytes), {@code str}
 * a vlong byte length then UTF-8, {@code bytes} a vlong length then raw bytes, {@code code} one byte.
 * Every value starts with the value format version byte {@code 0x01}.
 * <pre>
 * rocksdb/
 * ├── default
 * │   └── "layout"                          → 01 vlong(layoutVersion = 2)
 * ├── users           [point]
 * │   └── u64 userId                        → 02 str username, str passwordHash, vlong createdAtMs,
 * │                                              vlong ticketsValidFromMs   (01: without it, read as 0)
 * ├── user_names      [point]
 * │   └── utf8 canonicalName                → 01 vlong userId            (hint, see invariants)
 * ├── tickets         [point]
 * │   └── 32 bytes SHA-256(ticket)          → 01 vlong userId, vlong deviceId, str deviceName,
 * │                                              vlong createdAtMs, vlong expiresAtMs
 * ├── conversations   [point]
 * │   └── u64 conversationId                → 03 code kind, str title, vlong createdAtMs, vlong n,
 * │                                              n × vlong pinnedSeq, str description,
 * │                                              code adminsOnly, vlong slowModeSeconds, str publicName,
 * │                                              code broadcast
 * │                                              (02 values end at slowModeSeconds, 01 at createdAtMs)
 * ├── members         [range]
 * │   └── u64 conversationId, u64 userId    → 01 code role, vlong joinedSeq
 * ├── user_convs      [range]
 * │   └── u64 userId, u64 conversationId    → 01                          (presence only)
 * ├── direct          [point]
 * │   └── u64 userLo, u64 userHi            → 01 vlong conversationId
 * ├── messages        [log, LZ4]
 * │   └── u64 conversationId, u64 seq       → 03 vlong senderId, str senderName, vlong senderDeviceId,
 * │                                              str clientMsgId, str contentType, code bodyKind,
 * │                                              bytes body, vlong tsMs, vlong replyToSeq,
 * │                                              vlong forwardSenderId, str forwardSenderName,
 * │                                              vlong forwardTsMs, vlong editedAtMs, code recalled,
 * │                                              vlong n, n × (str emoji, vlong count),
 * │                                              vlong m, m × vlong mentionedUserId,
 * │                                              bytes media (encoded tern.v1.Media; empty: none)
 * │                                              (02 values end at the mentions; 01 values, written
 * │                                              before edits existed, end at tsMs)
 * ├── updates         [log, LZ4]
 * │   └── u64 userId, u64 pts               → 01 vlong prevPts, code kind, vlong conversationId,
 * │                                              vlong seq, vlong actorId
 * ├── read_markers    [point]
 * │   └── u64 userId, u64 conversationId    → 01 vlong upToSeq
 * ├── delivered_markers [point]
 * │   └── u64 userId, u64 conversationId    → 01 vlong upToSeq      (not raised with read_markers:
 * │                                              the core takes the higher of the two)
 * ├── dedup           [point]
 * │   └── u64 deviceId, utf8 clientMsgId    → 01 vlong conversationId, vlong seq, vlong pts,
 * │                                              vlong prevPts, vlong tsMs
 * ├── sequences       [point]
 * │   └── utf8 key ("user", "conv", "device", "c/{id}", "u/{id}") → 01 vlong bound
 * ├── last_seen       [point]
 * │   └── u64 userId                        → 01 vlong atMs
 * ├── reactions       [range]
 * │   └── u64 conversationId, u64 seq, u64 userId → 01 vlong n, n × str emoji (the user's, in order added)
 * ├── hidden          [range]
 * │   └── u64 userId, u64 conversationId, u64 seq → 01   (deleted for that user only)
 * ├── bans            [point]
 * │   └── u64 conversationId, u64 userId    → 01 vlong byUserId, vlong atMs
 * ├── invites         [point]
 * │   └── sha256(token)                     → 01 vlong conversationId, vlong creatorId, vlong createdAtMs
 * ├── blocks          [range]
 * │   └── u64 blockerId, u64 blockedId      → 01
 * ├── contacts        [range]
 * │   └── u64 ownerId, u64 contactId        → 01
 * ├── privacy         [point]
 * │   └── u64 userId                        → 01 code lastSeen, code readReceipts
 * ├── channel_names   [range]
 * │   └── utf8 canonicalName                → 01 vlong conversationId   (public channels; prefix scans)
 * ├── dialogs         [range]
 * │   └── u64 userId, u64 conversationId    → 01 vlong muteUntilMs, code archived, vlong pinnedAtMs,
 * │                                              str draft, vlong draftAtMs
 * ├── search_backlog  [range]
 * │   └── u64 id                            → 01 vlong conversationId, vlong seq
 * ├── uploads         [range]
 * │   └── utf8 uploadId                     → 01 vlong userId, vlong size, str mime, str fileName,
 * │                                              vlong createdAtMs, vlong expiresAtMs
 * ├── media           [point]
 * │   └── utf8 mediaId                      → 01 vlong uploaderId, str sha256, vlong size, str mime,
 * │                                              str fileName, vlong width, vlong height,
 * │                                              str thumbSha256, vlong thumbSize, vlong createdAtMs,
 * │                                              vlong durationMs
 * ├── media_uses      [range]
 * │   └── utf8 mediaId, 00, u64 conversationId, u64 seq → 01   (where the media was sent)
 * ├── blob_refs       [range]
 * │   └── utf8 sha256                       → 01 vlong refs, vlong size, vlong unreferencedSinceMs
 * ├── usage           [point]
 * │   └── u64 userId                        → 01 vlong bytes
 * ├── dedup_by_time   [range]                                         (layout 2)
 * │   └── t64 tsMs, u64 deviceId, utf8 clientMsgId → 01   (an entry per dedup record, and stale ones)
 * └── tickets_by_expiry [range]                                       (layout 2)
 *     └── t64 expiresAtMs, 32 bytes SHA-256(ticket) → 01   (an entry per ticket, and stale ones)
 * </pre>
 * {@code t64} is a time as a u64 with its sign bit flipped, so bytewise order is signed order.
 * Enum codes (append-only, never ordinals): kind DIRECT=1 GROUP=2 CHANNEL=3; role MEMBER=1 ADMIN=2 OWNER=3;
 * bodyKind TEXT=1 DATA=2 SERVICE=3; update kind MESSAGE=1 READ=2 EDIT=3 RECALL=4
 * REACTION=5 HIDE=6 DIALOG=7; visibility EVERYONE=1 CONTACTS=2 NOBODY=3.
 * [point] families have a 10 bits/key bloom filter and no compression; [range] families LZ4;
 * [log] families LZ4 and 16 KiB blocks. All share one LRU block cache that also holds index and
 * filter blocks.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Ids, seqs and pts are non-negative, so big-endian bytewise order is numeric order: a prefix
 *       scan of {@code members/conv} yields user ids ascending, {@code messages/conv} seqs
 *       ascending. The 8-byte fixed width means no id's prefix is another id's prefix.</li>
 *   <li>A range read is bounded to its prefix with iterate_lower_bound / iterate_upper_bound
 *       (upper = prefix + 1), so it never reads a neighbouring conversation's or user's entries.
 *       {@code lastSeq}/{@code lastPts} and {@code messagesBefore} walk backwards from seekForPrev.</li>
 *   <li>{@code members} and {@code user_convs} are two indexes of one fact: every batch that writes
 *       or deletes one writes or deletes the other, in the same WriteBatch.</li>
 *   <li>{@code user_names} is written with every user but never deleted, so after a rename the old
 *       name still points at the id; a lookup is valid only if {@code users/id} has that name. This
 *       avoids a read-before-write (and a race between concurrent batches) on the write path.</li>
 *   <li>Key fields are not repeated in values; decoders take them from the key.</li>
 *   <li>Every {@link dev.tern.core.store.Store#write} is one WriteBatch, written with sync (WAL on,
 *       manual WAL flush off): all of it is durable when it returns, none of it is visible if it
 *       throws, including after a crash. Mutations apply in list order, so a later one in the
 *       batch wins over an earlier one with the same key.</li>
 *   <li>{@code dedup_by_time} and {@code tickets_by_expiry} hold an entry for every record of
 *       {@code dedup} and {@code tickets}, keyed by its current time, and may hold stale entries
 *       (the record has another time, or is gone). An upsert writes the record and its entry in one
 *       WriteBatch without reading anything, so the entry at the old time stays; a delete reads the
 *       record for its time and removes both (see TimeIndex). The sweeps ({@code dedupsBefore},
 *       {@code ticketsExpiredBefore}) scan the index up to the bound, check each entry against its
 *       record, return only the records whose time matches, and delete the stale entries they pass
 *       over, so stale entries never reach a caller and do not pile up.</li>
 *   <li>Layout 1 (before the time indexes) is upgraded at open: the two families are created, an
 *       entry is written for every stored record, and only then is the stamp set to 2, so an upgrade
 *       cut short runs again whole (it only puts, so running it twice is harmless). A layout-2
 *       directory cannot be opened by a build that knows only layout 1: it refuses the unknown
 *       families.</li>
 *   <li>{@code search_backlog} is a queue: entries are appended with rising ids and removed as a
 *       prefix by one range deletion, so a scan from the head meets one range tombstone rather
 *       than a tombstone per entry consumed.</li>
 *   <li>A value with an unknown format version, or that does not decode exactly, is a
 *       {@link dev.tern.core.store.StoreException}, never a guess. A database with an unknown column
 *       family or a layout version other than 1 (upgraded) and 2 is refused at open.</li>
 * </ul>
 */
package dev.tern.store.rocksdb;
