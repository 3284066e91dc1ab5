package dev.tern.core.store;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The read side of the storage port: what features may ask a store. Every method may block (call
 * it from a virtual thread, never from an event loop) and sees only durable, whole batches.
 */
public interface StoreReads {

    Optional<UserRecord> user(long userId);

    /** @param canonicalName lower-case username */
    Optional<UserRecord> userByName(String canonicalName);

    Optional<TicketRecord> ticket(byte[] hash);

    Optional<ConversationRecord> conversation(long conversationId);

    /** Members of a conversation in user-id order. */
    List<MemberRecord> members(long conversationId);

    /** Members with user id {@code > afterUserId}, in user-id order, at most {@code limit}. */
    List<MemberRecord> membersAfter(long conversationId, long afterUserId, int limit);

    /** Conversation ids the user is a member of, ascending. */
    List<Long> conversationsOf(long userId);

    OptionalLong directConversation(long userLo, long userHi);

    Optional<MessageRecord> message(long conversationId, long seq);

    /** Messages with {@code minSeq <= seq < beforeSeq}, newest first, at most {@code limit}. */
    List<MessageRecord> messagesBefore(long conversationId, long beforeSeq, long minSeq, int limit);

    /** Highest seq stored for the conversation, 0 when none. */
    long lastSeq(long conversationId);

    /** Update-log entries with pts {@code > afterPts}, ascending, at most {@code limit}. */
    List<UpdateRecord> updatesAfter(long userId, long afterPts, int limit);

    /** Highest pts in the user's log, 0 when empty. */
    long lastPts(long userId);

    Optional<DedupRecord> dedup(long deviceId, String clientMsgId);

    /**
     * Dedup records with {@code tsMs} below the bound ({@code record.tsMs() < tsMs}), oldest first (equal
     * times in (deviceId, clientMsgId) order), at most {@code limit}: what a sweep deletes with
     * {@link DeleteDedup} once the retry window has passed. Stores keep an index by time, so the cost
     * follows what is returned, not what is stored. A negative limit is an IllegalArgumentException.
     */
    List<DedupRecord> dedupsBefore(long tsMs, int limit);

    /**
     * Tickets with {@code expiresAtMs < ms}, soonest expiry first (equal times in hash order), at most
     * {@code limit}: what a sweep deletes with {@link DeleteTicket}. Indexed by time like
     * {@link #dedupsBefore}.
     */
    List<TicketRecord> ticketsExpiredBefore(long ms, int limit);

    /** Reactions to one message by users with id {@code > afterUserId}, in user-id order, at most {@code limit}. */
    List<ReactionRecord> reactions(long conversationId, long seq, long afterUserId, int limit);

    /** One user's reactions to one message; empty when none. */
    Optional<ReactionRecord> reaction(long conversationId, long seq, long userId);

    /** Seqs of the conversation's messages the user deleted for themselves, {@code fromSeq <= seq < toSeq}, ascending. */
    List<Long> hidden(long userId, long conversationId, long fromSeq, long toSeq);

    /** The ids in {@code ownerId}'s contact list, ascending. */
    List<Long> contactsOf(long ownerId);

    /** The user's privacy settings; empty when never set (the defaults apply). */
    Optional<PrivacyRecord> privacy(long userId);

    /** The ids of the users {@code blockerId} blocks, ascending. */
    List<Long> blockedBy(long blockerId);

    /** True when the user is banned from the conversation. */
    boolean banned(long conversationId, long userId);

    /** The invite stored under the SHA-256 {@code hash} of its token; empty when unknown or revoked. */
    Optional<InviteRecord> invite(byte[] hash);

    /** The channel with this public name (lower-case); empty when none. */
    OptionalLong channelByName(String canonicalName);

    /** Public channel names starting with {@code prefix} (lower-case), in name order, at most {@code limit}. */
    List<ChannelNameRecord> channelNames(String prefix, int limit);

    /** The user's settings for one conversation; empty when never set. */
    Optional<DialogRecord> dialog(long userId, long conversationId);

    /** Every dialog record of the user, in conversation-id order. */
    List<DialogRecord> dialogsOf(long userId);

    /** A resumable upload in progress; empty when unknown, finished or removed. */
    Optional<UploadRecord> upload(String uploadId);

    /** Uploads in progress with id greater than {@code afterId} ("" for the first page), in id order. */
    List<UploadRecord> uploads(String afterId, int limit);

    Optional<MediaRecord> media(String mediaId);

    /** Media records with id greater than {@code afterId} ("" for the first page), in id order. */
    List<MediaRecord> mediaPage(String afterId, int limit);

    /** The messages media {@code mediaId} was sent in, at most {@code limit}. */
    List<MediaUseRecord> mediaUses(String mediaId, int limit);

    /** The reference count of a blob; empty when no media ever named it (or it was collected). */
    Optional<BlobRefRecord> blobRef(String sha256);

    /** Blobs with no reference since before {@code beforeMs}, at most {@code limit} (in key order). */
    List<BlobRefRecord> unreferencedBlobs(long beforeMs, int limit);

    /** The user's stored media bytes (0 when none). */
    long usage(long userId);

    /** 0 when the user never marked the conversation read. */
    long readMarker(long userId, long conversationId);

    /** 0 when the user never marked the conversation delivered (a read marker is not consulted). */
    long deliveredMarker(long userId, long conversationId);

    /** 0 when the sequencer never persisted a bound. */
    long sequenceBound(String key);

    /** 0 when never seen. */
    long lastSeen(long userId);

    /**
     * Messages of every conversation after (conversationId, afterSeq), in (conversation, seq) order,
     * at most {@code limit}: a full scan in pages, for rebuilding the search index.
     */
    List<MessageRecord> messagesAfter(long conversationId, long afterSeq, int limit);

    /** Search backlog entries with id {@code > afterId}, ascending, at most {@code limit}. */
    List<SearchBacklogRecord> searchBacklog(long afterId, int limit);

    /** The highest search backlog id stored, 0 when the backlog is empty. */
    long lastSearchBacklogId();

    /**
     * Users whose current canonical name starts with {@code prefix}, in name order, at most
     * {@code limit}.
     */
    List<UserRecord> usersByNamePrefix(String prefix, int limit);
}
