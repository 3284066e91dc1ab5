package dev.tern.core.search;

import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.core.Principal;
import dev.tern.core.auth.Usernames;
import dev.tern.core.ledger.ConversationState;
import dev.tern.core.ledger.Conversations;
import dev.tern.core.store.BodyKind;
import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.StoreReads;
import dev.tern.core.store.UserRecord;
import dev.tern.core.view.MessageView;
import dev.tern.core.view.SearchPage;
import dev.tern.core.view.UserRef;
import dev.tern.core.view.UsersPage;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Answers searches: messages by words (through the {@link SearchIndex}) and users by name prefix
 * (through the store's name index). Decides what the caller may see; the index only narrows.
 */
public final class Search {
    static final int MAX_QUERY_CHARS = 256;
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    static final int MIN_NAME_PREFIX = 2;
    static final int MAX_NAME_PREFIX = 32;
    static final int MAX_USERS = 50;
    /**
     * Index pages read for one answer at most. Hits the caller may not see (deleted for them, older
     * than their joining, recalled since) are skipped; after this many pages the answer is cut short
     * with {@code more} set, so one request's work stays bounded.
     */
    private static final int MAX_ROUNDS = 8;
    private static final Pattern NAME_CHARS = Pattern.compile("[a-z0-9_.]+");

    private final StoreReads store;
    private final SearchIndex index;
    private final Conversations conversations;

    public Search(StoreReads store, SearchIndex index, Conversations conversations) {
        this.store = store;
        this.index = index;
        this.conversations = conversations;
    }

    /** Messages the caller can read that contain every word of the query, newest first. */
    public SearchPage messages(Principal caller, MessageQuery req) {
        Principal.require(caller);
        String text = req.query();
        if (text.length() > MAX_QUERY_CHARS) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "query must be at most " + MAX_QUERY_CHARS + " characters");
        }
        if (text.isBlank()) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "query must not be empty");
        }
        int limit = limit(req.limit(), DEFAULT_LIMIT, MAX_LIMIT);
        if (req.fromMs() < 0 || req.toMs() < 0 || (req.toMs() != 0 && req.toMs() <= req.fromMs())) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "from_ms and to_ms must be >= 0 and to_ms after from_ms");
        }
        SearchIndex.Position before = decodeCursor(req.cursor());
        Map<Long, Long> readableFrom = scope(caller, req.conversationId());
        long senderId = sender(req);
        List<MessageView> out = new ArrayList<>();
        if (readableFrom.isEmpty() || senderId < 0) {
            return new SearchPage(out, false, "");
        }
        SearchIndex.Position last = null;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            int want = limit + 1 - out.size();
            List<SearchIndex.Position> hits = index.search(new SearchIndex.Query(text, readableFrom, senderId,
                    req.fromMs(), req.toMs(), before, want));
            for (SearchIndex.Position p : hits) {
                if (out.size() == limit) {
                    return new SearchPage(out, true, encodeCursor(last));
                }
                last = p;
                MessageRecord m = visible(caller, p, readableFrom);
                if (m != null) {
                    out.add(new MessageView(m, conversations.get(m.conversationId()).orElseThrow().header().kind()));
                }
            }
            if (hits.size() < want) {
                return new SearchPage(out, false, ""); // the index has nothing more
            }
            before = hits.getLast();
        }
        // Cut short: the client goes on from the last hit examined.
        return new SearchPage(out, true, encodeCursor(last));
    }

    /**
     * The message at {@code p} as the store holds it now, or null when the caller may not see it:
     * older than their joining, deleted for them, or no longer searchable (recalled, edited into
     * data) while the index has not caught up yet.
     */
    private MessageRecord visible(Principal caller, SearchIndex.Position p, Map<Long, Long> readableFrom) {
        Long from = readableFrom.get(p.conversationId());
        if (from == null || p.seq() < from) {
            return null; // the index narrows, this decides
        }
        MessageRecord m = store.message(p.conversationId(), p.seq()).orElse(null);
        if (m == null || m.bodyKind() != BodyKind.TEXT || m.extras().recalled()) {
            return null;
        }
        if (!store.hidden(caller.userId(), p.conversationId(), p.seq(), p.seq() + 1).isEmpty()) {
            return null;
        }
        return m;
    }

    /**
     * Each conversation to search with the lowest seq the caller may read in it. With a filter, the
     * caller must be a member now: otherwise NOT_MEMBER, as for a conversation that does not exist.
     */
    private Map<Long, Long> scope(Principal caller, long conversationId) {
        if (conversationId != 0) {
            Conversations.Membership ms = conversations.requireMember(caller, conversationId);
            return Map.of(conversationId, Math.max(1, ms.member().joinedSeq()));
        }
        Map<Long, Long> out = new HashMap<>();
        for (long id : store.conversationsOf(caller.userId())) {
            ConversationState s = conversations.get(id).orElse(null);
            MemberRecord m = s == null ? null : s.members().get(caller.userId());
            if (m != null) {
                out.put(id, Math.max(1, m.joinedSeq()));
            }
        }
        return out;
    }

    /** The sender filter's user id, 0 for none, -1 for a username that names nobody (no hits). */
    private long sender(MessageQuery req) {
        if (req.senderUsername() != null) {
            String name = Usernames.canonicalOrNull(req.senderUsername());
            return name == null ? -1 : store.userByName(name).map(UserRecord::id).orElse(-1L);
        }
        return req.senderId();
    }

    /** Users whose name starts with the query (a leading '@' is ignored), in name order. */
    public UsersPage users(Principal caller, String query, int pageLimit) {
        Principal.require(caller);
        String q = query.strip();
        q = (q.startsWith("@") ? q.substring(1) : q).toLowerCase(Locale.ROOT);
        if (q.length() < MIN_NAME_PREFIX || q.length() > MAX_NAME_PREFIX) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT,
                    "query must be " + MIN_NAME_PREFIX + "-" + MAX_NAME_PREFIX + " characters of a username");
        }
        int limit = limit(pageLimit, DEFAULT_LIMIT, MAX_USERS);
        List<UserRef> out = new ArrayList<>();
        if (!NAME_CHARS.matcher(q).matches()) {
            return new UsersPage(out, false); // no username has these characters
        }
        List<UserRecord> found = store.usersByNamePrefix(q, limit + 1);
        for (UserRecord u : found.subList(0, Math.min(limit, found.size()))) {
            out.add(new UserRef(u.id(), u.username()));
        }
        return new UsersPage(out, found.size() > limit);
    }

    private static int limit(int requested, int dflt, int max) {
        int n = requested == 0 ? dflt : requested;
        if (n < 1 || n > max) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "limit must be 1-" + max);
        }
        return n;
    }

    /** The opaque cursor: the last position returned, 24 bytes, base64url. */
    static String encodeCursor(SearchIndex.Position p) {
        ByteBuffer b = ByteBuffer.allocate(24).putLong(p.tsMs()).putLong(p.seq()).putLong(p.conversationId());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    static SearchIndex.Position decodeCursor(String cursor) {
        if (cursor.isEmpty()) {
            return null;
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            raw = new byte[0];
        }
        if (raw.length != 24) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "cursor is not one this server gave out");
        }
        ByteBuffer b = ByteBuffer.wrap(raw);
        return new SearchIndex.Position(b.getLong(), b.getLong(), b.getLong());
    }
}
