package dev.tern.core.inbox;

import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.core.Principal;
import dev.tern.core.auth.Users;
import dev.tern.core.ledger.ConversationState;
import dev.tern.core.ledger.Conversations;
import dev.tern.core.ledger.Ledger;
import dev.tern.core.ledger.Prepared;
import dev.tern.core.ledger.Timeline;
import dev.tern.core.store.ConversationKind;
import dev.tern.core.store.DialogRecord;
import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.StoreReads;
import dev.tern.core.store.UpdateKind;
import dev.tern.core.view.Change;
import dev.tern.core.view.Committed;
import dev.tern.core.view.DialogView;
import dev.tern.core.view.DialogsPage;
import dev.tern.core.view.MessageView;
import dev.tern.core.view.News;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The per-user conversation list. Nothing in it is kept per message: the order (last activity),
 * the preview and the unread and mention counts are computed when the list is read, from the
 * conversation's newest messages and the user's read marker, and the other side's read and delivered
 * markers come from the marker cache ({@link Receipts#peerMarkers}). That keeps a post to a channel of a
 * million subscribers one write (fan-out on read), and keeps every device's counts exact: they are
 * derived from the same durable records whichever device asks. Only the user's own settings (mute,
 * archive, pin, draft) are stored, one record per (user, conversation), and a change to them is a
 * DIALOG entry in the user's log so their other devices follow.
 */
public final class Dialogs {
    static final int MAX_PINNED = 5;
    static final int MAX_DRAFT = 4096;
    private static final int MAX_PAGE = 200;
    private static final int SCAN_PAGE = 500;

    /** What a user has not read in one conversation, and its newest message they can see (null if none). */
    record Unread(int count, int mentions, MessageRecord top) {}

    private final StoreReads store;
    private final Ledger ledger;
    private final Conversations conversations;
    private final Users users;
    private final Timeline timeline;
    private final Receipts receipts;
    private final InstantSource clock;

    public Dialogs(StoreReads store, Ledger ledger, Conversations conversations, Users users, Timeline timeline,
                   Receipts receipts, InstantSource clock) {
        this.receipts = receipts;
        this.store = store;
        this.ledger = ledger;
        this.conversations = conversations;
        this.users = users;
        this.timeline = timeline;
        this.clock = clock;
    }

    /** A page of the caller's dialogs: pinned first (newest pin first), then by last activity, newest first. */
    public DialogsPage list(Principal caller, boolean archived, int limit, long beforeActivityMs,
                            long beforeConversationId) {
        Principal.require(caller);
        int n = limit == 0 ? 50 : limit;
        if (n < 0 || n > MAX_PAGE) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "limit must be 1-" + MAX_PAGE);
        }
        boolean firstPage = beforeActivityMs == 0 && beforeConversationId == 0;
        long me = caller.userId();
        Map<Long, DialogRecord> settings = conversations.dialogs(me);
        List<DialogView> pinned = new ArrayList<>();
        List<DialogView> rest = new ArrayList<>();
        for (long id : store.conversationsOf(me)) {
            DialogRecord s = settings.getOrDefault(id, DialogRecord.defaults(me, id));
            if (s.archived() != archived) {
                continue;
            }
            DialogView d = full(me, id, s);
            if (d == null) {
                continue; // left between the two reads
            }
            if (d.pinned()) {
                if (firstPage) {
                    pinned.add(d);
                }
            } else if (firstPage || before(d, beforeActivityMs, beforeConversationId)) {
                rest.add(d);
            }
        }
        pinned.sort(Comparator.comparingLong((DialogView d) -> settings.get(d.conversationId()).pinnedAtMs()).reversed());
        rest.sort(Comparator.comparingLong(DialogView::lastActivityMs).thenComparingLong(DialogView::conversationId)
                .reversed());
        // Every pinned dialog (at most MAX_PINNED) heads the first page whatever the limit, so the
        // paging cursor always comes from an unpinned dialog and nothing falls between pages.
        List<DialogView> page = new ArrayList<>(pinned);
        page.addAll(rest.subList(0, Math.min(n, rest.size())));
        return new DialogsPage(page, rest.size() > n);
    }

    private static boolean before(DialogView d, long activityMs, long conversationId) {
        return d.lastActivityMs() < activityMs
                || d.lastActivityMs() == activityMs && Long.compareUnsigned(d.conversationId(), conversationId) < 0;
    }

    /** Changes the caller's settings for one conversation; their other devices get a DIALOG update. */
    public CompletableFuture<Committed> update(Principal caller, DialogChange req) {
        Principal.require(caller);
        long conversationId = req.conversationId();
        conversations.requireMember(caller, conversationId);
        if (req.muteUntilMs() != null && req.muteUntilMs() < 0) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "mute_until_ms must not be negative");
        }
        if (req.draft() != null && req.draft().length() > MAX_DRAFT) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "a draft holds at most " + MAX_DRAFT + " characters");
        }
        long now = clock.millis();
        timeline.preload(conversations.requireMember(caller, conversationId).state(), caller.userId());
        return ledger.submit(Ledger.Scope.user(caller.userId()), () -> {
            Conversations.Membership ms = conversations.requireMember(caller, conversationId);
            long me = caller.userId();
            // Read under the lock from the cache that holds changes not yet durable: two devices changing
            // different settings in one commit window must not undo each other.
            DialogRecord before = conversations.dialog(me, conversationId);
            long pinnedAt = before.pinnedAtMs();
            if (req.pinned() != null && req.pinned() != before.pinned()) {
                if (req.pinned() && pinnedCount(me) >= MAX_PINNED) {
                    throw new Failure(ErrorCode.DIALOG_PIN_LIMIT, "at most " + MAX_PINNED + " dialogs can be pinned");
                }
                pinnedAt = req.pinned() ? now : 0;
            }
            DialogRecord after = new DialogRecord(me, conversationId,
                    req.muteUntilMs() != null ? req.muteUntilMs() : before.muteUntilMs(),
                    req.archived() != null ? req.archived() : before.archived(), pinnedAt,
                    req.draft() != null ? req.draft() : before.draft(),
                    req.draft() != null ? (req.draft().isEmpty() ? 0 : now) : before.draftAtMs());
            if (after.equals(before)) {
                return Prepared.of(List.of(), Committed.in(conversationId));
            }
            List<Mutation> batch = new ArrayList<>();
            batch.add(after);
            conversations.putDialog(after);
            DialogView pushed = settings(me, ms.state(), after);
            return changed(caller, conversationId, pushed, batch);
        });
    }

    /** Pinned dialogs of conversations the user is still in (a pin left behind by leaving does not count). */
    private long pinnedCount(long userId) {
        return conversations.dialogs(userId).values().stream().filter(DialogRecord::pinned)
                .filter(d -> conversations.get(d.conversationId()).map(s -> s.members().containsKey(userId))
                        .orElse(false))
                .count();
    }

    /**
     * Under the lock: a DIALOG entry in the caller's log for {@code conversationId} and its push to
     * their other devices, carrying {@code dialog}; the result is the caller's Committed with its pts.
     */
    Prepared<Committed> changed(Principal caller, long conversationId, DialogView dialog, List<Mutation> batch) {
        return changed(caller.userId(), caller.deviceId(), conversationId, dialog, batch);
    }

    /** The same for {@code userId}'s log, the push skipping {@code actingDevice} (0: none). */
    public Prepared<Committed> changed(long userId, long actingDevice, long conversationId, DialogView dialog,
                                       List<Mutation> batch) {
        List<Timeline.Entry> entries = timeline.log(List.of(userId), UpdateKind.DIALOG, conversationId, 0, userId,
                batch);
        Timeline.Entry mine = entries.getFirst();
        Committed ok = new Committed(conversationId, 0, mine.pts(), mine.prevPts());
        return new Prepared<>(batch, ok, timeline.push(entries, new Change.DialogChanged(dialog), userId, actingDevice));
    }

    /**
     * The dialog as a DIALOG update shows it: the conversation and the user's settings, or only
     * {@code left} when they are no longer a member. Counts and the preview are left to
     * {@link #list}, which computes them from the messages.
     */
    public DialogView rendered(long userId, long conversationId) {
        ConversationState state = conversations.get(conversationId).orElse(null);
        if (state == null || !state.members().containsKey(userId)) {
            return DialogView.left(conversationId);
        }
        return settings(userId, state, conversations.dialog(userId, conversationId));
    }

    public DialogView settings(long userId, ConversationState state, DialogRecord s) {
        return view(userId, state, s, null, 0, 0, new Unread(0, 0, null), new Receipts.PeerMarkers(0, 0), 0);
    }

    private DialogView view(long userId, ConversationState state, DialogRecord s, MessageRecord top,
                            long activityMs, long readUpTo, Unread unread, Receipts.PeerMarkers peers, long lastChange) {
        long peer = 0;
        String title = state.header().title();
        if (state.header().kind() == ConversationKind.DIRECT) {
            peer = state.members().keySet().stream().filter(u -> u != userId).findFirst().orElse(userId);
            title = users.nameOf(peer);
        }
        return new DialogView(state.id(), state.header().kind(), title, peer,
                top == null ? null : new MessageView(top, state.header().kind()), activityMs, readUpTo,
                unread.count(), unread.mentions(), s.muteUntilMs(), s.archived(), s.pinned(), s.draft(),
                s.draftAtMs(), timeline.broadcast(state), false, lastChange, peers.readSeq(), peers.deliveredSeq());
    }

    /** The full dialog with preview and counts; null when the user is not a member. */
    private DialogView full(long userId, long conversationId, DialogRecord s) {
        ConversationState state = conversations.get(conversationId).orElse(null);
        MemberRecord member = state == null ? null : state.members().get(userId);
        if (member == null) {
            return null;
        }
        long marker = conversations.readMarker(userId, conversationId);
        Unread unread = unread(state, member, marker);
        Receipts.PeerMarkers peers = receipts.peerMarkers(userId, state);
        long lastChange = timeline.broadcast(state) ? store.lastPts(Timeline.changeLogOf(conversationId)) : 0;
        long activity = unread.top() != null ? unread.top().tsMs() : state.header().createdAtMs();
        return view(userId, state, s, unread.top(), activity, marker, unread, peers, lastChange);
    }

    /**
     * Counts the messages after the user's read marker (and not before they joined) that others
     * sent and that are neither deleted for everyone nor deleted by the user, and those of them that
     * mention the user. Costs a scan of the unread messages.
     */
    Unread unread(ConversationState state, MemberRecord member, long marker) {
        long userId = member.userId();
        long from = Math.max(marker + 1, member.joinedSeq());
        List<MessageRecord> page = store.messagesBefore(state.id(), Long.MAX_VALUE, member.joinedSeq(), 1);
        if (page.isEmpty()) {
            return new Unread(0, 0, null);
        }
        MessageRecord top = page.getFirst();
        if (top.seq() < from) {
            return new Unread(0, 0, top);
        }
        Set<Long> hidden = new HashSet<>(store.hidden(userId, state.id(), from, top.seq() + 1));
        int count = 0;
        int mentions = 0;
        page = List.of(top); // the newest, read above, is the scan's first row: it is not read again
        boolean last = false;
        while (true) {
            for (MessageRecord m : page) {
                if (m.senderId() != userId && !m.extras().recalled() && !hidden.contains(m.seq())) {
                    count++;
                    if (m.extras().mentions().contains(userId)) {
                        mentions++;
                    }
                }
            }
            if (last) {
                return new Unread(count, mentions, top);
            }
            long before = page.getLast().seq();
            page = store.messagesBefore(state.id(), before, from, SCAN_PAGE);
            last = page.size() < SCAN_PAGE;
        }
    }

    /**
     * The broadcast conversations the user is in with messages after their read marker: their
     * messages are not in the user's log, so sync names them ("news") once each.
     */
    public List<News> news(long userId) {
        List<News> out = new ArrayList<>();
        for (long id : store.conversationsOf(userId)) {
            ConversationState state = conversations.get(id).orElse(null);
            MemberRecord member = state == null ? null : state.members().get(userId);
            if (member == null || !timeline.broadcast(state)) {
                continue;
            }
            long marker = conversations.readMarker(userId, id);
            if (store.lastSeq(id) <= Math.max(marker, member.joinedSeq() - 1)) {
                continue; // nothing after the marker: no scan
            }
            Unread u = unread(state, member, marker);
            if (u.count() > 0) {
                out.add(new News(id, u.top().seq(), marker, u.count(), u.mentions(),
                        store.lastPts(Timeline.changeLogOf(id))));
            }
        }
        return out;
    }
}
