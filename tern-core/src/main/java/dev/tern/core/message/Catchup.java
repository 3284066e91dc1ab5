package dev.tern.core.message;

import com.google.protobuf.CodedOutputStream;
import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.core.Principal;
import dev.tern.core.auth.Users;
import dev.tern.core.inbox.Dialogs;
import dev.tern.core.ledger.Conversations;
import dev.tern.core.ledger.Timeline;
import dev.tern.core.store.ConversationKind;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.StoreReads;
import dev.tern.core.store.UpdateKind;
import dev.tern.core.store.UpdateRecord;
import dev.tern.core.view.Change;
import dev.tern.core.view.ChangesPage;
import dev.tern.core.view.HistoryPage;
import dev.tern.core.view.Marker;
import dev.tern.core.view.MessageView;
import dev.tern.core.view.SyncPage;
import dev.tern.core.view.Update;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a device catches up, all reads outside the ordering lock: {@link #sync} pages through the
 * caller's update log (with the news of broadcast conversations on its last page), {@link #changes}
 * through a broadcast conversation's change log, {@link #history} backwards through one
 * conversation. Log entries point at messages, which are rendered as they are now, so a later edit
 * or recall shows through an earlier entry.
 */
public final class Catchup {
    private static final int MAX_SYNC = 2000;
    private static final int MAX_HISTORY = 200;
    // A page stops growing past this many bytes (it always holds at least one entry), so a page
    // of large messages cannot overflow a connection's outbound buffer and make it a "slow reader".
    private static final int PAGE_BYTES = 1 << 20;

    private final StoreReads store;
    private final Conversations conversations;
    private final Users users;
    private final Dialogs dialogs;

    public Catchup(StoreReads store, Conversations conversations, Users users, Dialogs dialogs) {
        this.store = store;
        this.conversations = conversations;
        this.users = users;
        this.dialogs = dialogs;
    }

    /** Entries of the caller's update log after {@code afterPts}. */
    public SyncPage sync(Principal caller, long afterPts, int limit) {
        Principal.require(caller);
        int n = limit == 0 ? 100 : limit;
        if (n < 0 || n > MAX_SYNC) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "limit must be 1-" + MAX_SYNC);
        }
        List<UpdateRecord> records = store.updatesAfter(caller.userId(), afterPts, n + 1);
        List<Update> out = new ArrayList<>(Math.min(n, records.size()));
        boolean more = records.size() > n;
        long pts = afterPts;
        Map<Long, Map<Long, MessageRecord>> messages = messagesOf(records.subList(0, Math.min(n, records.size())));
        Map<Long, ConversationKind> kinds = new java.util.HashMap<>(); // one lookup per conversation, not per entry
        int bytes = 0;
        for (int i = 0; i < Math.min(n, records.size()); i++) {
            if (bytes > PAGE_BYTES) {
                more = true;
                break;
            }
            UpdateRecord r = records.get(i);
            Update u = toUpdate(r, messages, kinds);
            bytes += weight(u);
            out.add(u);
            pts = r.pts();
        }
        // Broadcast conversations are not in the log: the last page names those with news.
        return new SyncPage(out, pts, more, more ? List.of() : dialogs.news(caller.userId()));
    }

    /**
     * The messages a page of log entries points at, by conversation and seq. A catch-up page usually
     * covers a run of consecutive seqs per conversation, so each such run is read with one range scan
     * instead of a point read per entry; sparse runs fall back to point reads.
     */
    private Map<Long, Map<Long, MessageRecord>> messagesOf(List<UpdateRecord> page) {
        Map<Long, long[]> spans = new java.util.HashMap<>(); // conversation -> {min seq, max seq, count}
        for (UpdateRecord r : page) {
            if (r.kind() == UpdateKind.MESSAGE) {
                spans.merge(r.conversationId(), new long[]{r.seq(), r.seq(), 1},
                        (a, b) -> new long[]{Math.min(a[0], b[0]), Math.max(a[1], b[1]), a[2] + 1});
            }
        }
        Map<Long, Map<Long, MessageRecord>> out = new java.util.HashMap<>();
        spans.forEach((conversation, span) -> {
            long width = span[1] - span[0] + 1;
            if (span[2] < 4 || width > 4 * span[2]) {
                return; // few or scattered: point reads in toUpdate
            }
            Map<Long, MessageRecord> bySeq = new java.util.HashMap<>();
            for (MessageRecord m : store.messagesBefore(conversation, span[1] + 1, span[0], (int) width)) {
                bySeq.put(m.seq(), m);
            }
            out.put(conversation, bySeq);
        });
        return out;
    }

    private Update toUpdate(UpdateRecord r, Map<Long, Map<Long, MessageRecord>> prefetched,
                            Map<Long, ConversationKind> kinds) {
        if (r.kind() == UpdateKind.HIDE) {
            return Update.logged(r.pts(), r.prevPts(), new Change.Hidden(r.conversationId(), r.seq()));
        }
        if (r.kind() == UpdateKind.DIALOG) {
            return Update.logged(r.pts(), r.prevPts(),
                    new Change.DialogChanged(dialogs.rendered(r.userId(), r.conversationId())));
        }
        if (r.kind() == UpdateKind.READ) {
            return Update.logged(r.pts(), r.prevPts(), new Change.Read(
                    new Marker(r.conversationId(), r.actorId(), users.nameOf(r.actorId()), r.seq())));
        }
        // The message as it is now: a later edit or recall shows through an earlier entry too. Only
        // MESSAGE entries are prefetched (messagesOf); the others point at scattered seqs.
        Map<Long, MessageRecord> run = r.kind() == UpdateKind.MESSAGE ? prefetched.get(r.conversationId()) : null;
        MessageRecord m = run != null && run.containsKey(r.seq()) ? run.get(r.seq())
                : store.message(r.conversationId(), r.seq())
                        .orElseThrow(() -> new IllegalStateException("log entry without message: " + r));
        ConversationKind kind = kinds.computeIfAbsent(r.conversationId(), id -> conversations.get(id)
                .map(s -> s.header().kind()).orElse(ConversationKind.GROUP));
        MessageView view = new MessageView(m, kind);
        if (r.kind() != UpdateKind.MESSAGE) {
            return Update.logged(r.pts(), r.prevPts(), MessageEdits.changed(r.kind(), view));
        }
        return Update.logged(r.pts(), r.prevPts(), new Change.Posted(view))
                .withMentioned(m.extras().mentions().contains(r.userId()));
    }

    /**
     * Entries of a broadcast conversation's change log after {@code afterChange}, about messages the
     * caller can see (from their join on), each rendered with the message as it is now.
     */
    public ChangesPage changes(Principal caller, long conversationId, long afterChange, int limit) {
        Principal.require(caller);
        int n = limit == 0 ? 100 : limit;
        if (n < 0 || n > 500) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "limit must be 1-500");
        }
        Conversations.Membership ms = conversations.requireMember(caller, conversationId);
        List<UpdateRecord> records = store.updatesAfter(Timeline.changeLogOf(conversationId), afterChange, n + 1);
        List<Update> out = new ArrayList<>();
        long last = afterChange;
        Map<Long, ConversationKind> kinds = new java.util.HashMap<>(Map.of(conversationId, ms.state().header().kind()));
        for (UpdateRecord r : records.subList(0, Math.min(n, records.size()))) {
            last = r.pts();
            if (r.seq() < ms.member().joinedSeq()) {
                continue; // before the caller's time
            }
            Update u = toUpdate(r, Map.of(), kinds);
            out.add(new Update(0, 0, u.change(), false, r.pts(), r.prevPts()));
        }
        return new ChangesPage(out, last, records.size() > n);
    }

    /** Messages of a conversation before {@code beforeSeq} (0: newest), newest first, from the caller's join on. */
    public HistoryPage history(Principal caller, long conversationId, long beforeSeq, int limit) {
        Principal.require(caller);
        int n = limit == 0 ? 50 : limit;
        if (n < 0 || n > MAX_HISTORY) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "limit must be 1-200");
        }
        Conversations.Membership ms = conversations.requireMember(caller, conversationId);
        long before = beforeSeq == 0 ? Long.MAX_VALUE : beforeSeq;
        List<MessageRecord> found = store.messagesBefore(conversationId, before, ms.member().joinedSeq(), n + 1);
        List<MessageView> out = new ArrayList<>(Math.min(n, found.size()));
        boolean more = found.size() > n;
        // Messages the caller deleted for themselves leave the page (which may then hold fewer than n).
        Set<Long> hidden = found.isEmpty() ? Set.of() : new HashSet<>(store.hidden(caller.userId(), conversationId,
                found.get(Math.min(n, found.size()) - 1).seq(), found.getFirst().seq() + 1));
        ConversationKind kind = ms.state().header().kind();
        int bytes = 0;
        for (int i = 0; i < Math.min(n, found.size()); i++) {
            if (bytes > PAGE_BYTES) {
                more = true;
                break;
            }
            if (hidden.contains(found.get(i).seq())) {
                continue;
            }
            bytes += weight(found.get(i));
            out.add(new MessageView(found.get(i), kind));
        }
        return new HistoryPage(out, more);
    }

    /**
     * About the bytes a message takes in a binary frame: what a page is bounded by. At least the
     * protobuf size of the message (strings by their UTF-8 length, each field's tag and length
     * counted high); JSON frames are larger by the encoding's overhead, which the bound leaves room for.
     */
    static int weight(MessageRecord m) {
        MessageRecord.Extras x = m.extras();
        int n = 48 + text(m.senderName()) + text(m.clientMsgId()) + text(m.contentType())
                + (x.forwarded() ? 24 + text(x.forwardSenderName()) : 0);
        if (x.recalled()) {
            return n;
        }
        n += m.bodyUnsafe().length + 6 + x.mentions().size() * 11 + (x.hasMedia() ? x.media().size() + 6 : 0);
        for (MessageRecord.Reaction r : x.reactions()) {
            n += text(r.emoji()) + 10;
        }
        return n;
    }

    private static int text(String s) {
        return CodedOutputStream.computeStringSizeNoTag(s) + 2;
    }

    private static int weight(Update u) {
        return 24 + switch (u.change()) {
            case Change.Posted p -> weight(p.message().record());
            case Change.Edited e -> weight(e.message().record());
            case Change.Recalled r -> weight(r.message().record());
            case Change.Reacted r -> weight(r.message().record());
            case Change.DialogChanged d -> 96 + text(d.dialog().title()) + text(d.dialog().draft())
                    + (d.dialog().top() == null ? 0 : weight(d.dialog().top().record()));
            case Change.Hidden h -> 16;
            case Change.Read r -> 32 + text(r.marker().username());
            case Change.Delivered d -> 32 + text(d.marker().username());
        };
    }
}
