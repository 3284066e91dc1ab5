package dev.tern.core.search;

import dev.tern.core.ledger.WriteTap;
import dev.tern.core.ledger.Ledger;
import dev.tern.core.store.BodyKind;
import dev.tern.core.store.ConversationRecord;
import dev.tern.core.store.DeleteSearchBacklog;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.SearchBacklogRecord;
import dev.tern.core.store.StoreReads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the search index in step with the store. On the committer it adds a backlog entry to every
 * batch that writes a message record (see the package documentation); on its own thread it takes
 * those entries, reads each message as the store holds it now, and puts it into or deletes it from
 * the index. Every {@code commitInterval} (and on close) it commits the index and then drops the
 * backlog entries the commit covers.
 */
public final class Indexer implements WriteTap, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Indexer.class);
    /** Hints held in memory; beyond this the indexer reads the backlog from the store. */
    static final int HINTS = 65_536;
    private static final int PAGE = 512;
    private static final String DONE = "done";
    private static final String REBUILD = "rebuild ";

    private final StoreReads store;
    private final Ledger ledger;
    private final SearchIndex index;
    private final long commitIntervalNanos;
    private final ArrayBlockingQueue<SearchBacklogRecord> hints = new ArrayBlockingQueue<>(HINTS);
    private final Thread thread;
    private volatile boolean overflowed;
    private volatile boolean closed;

    // Committer-thread state (read by lag() for a gauge).
    private volatile long nextId;
    private final List<SearchBacklogRecord> unwritten = new ArrayList<>();

    // Indexer-thread state.
    /** Highest backlog id applied to the index (visible to search, perhaps not yet committed). */
    private volatile long doneId;
    private long committedId;
    /** Read the backlog from the store rather than from the hints (at start and after an overflow). */
    private boolean catchingUp = true;
    /** Backlog entries applied by the first catch-up, or -1 once it is over. */
    private long replayed;
    /** Where a rebuild goes on from, or null when the index is complete. */
    private long[] rebuildAfter;
    private boolean dirty;
    private long lastCommit = System.nanoTime();
    private final Map<Long, Boolean> searchableConversations = new HashMap<>();

    public Indexer(StoreReads store, Ledger ledger, SearchIndex index, Duration commitInterval) {
        this.store = store;
        this.ledger = ledger;
        this.index = index;
        this.commitIntervalNanos = commitInterval.toNanos();
        this.nextId = store.lastSearchBacklogId() + 1;
        String checkpoint = index.checkpoint();
        if (!checkpoint.equals(DONE)) {
            rebuildAfter = parseRebuild(checkpoint);
            if (rebuildAfter[0] == 0 && rebuildAfter[1] == 0) {
                index.deleteAll(); // an index of unknown state is started afresh
            }
            if (checkpoint.isEmpty()) {
                log.info("search index is new: building it from the store");
            } else {
                log.info("search index is incomplete (checkpoint '{}'): rebuilding it from the store", checkpoint);
            }
        }
        this.thread = Thread.ofPlatform().name("tern-indexer").daemon().start(this::run);
    }

    // ---- committer thread (the send path): cheap and non-blocking

    @Override
    public void beforeWrite(List<Mutation> batch) {
        unwritten.clear(); // left over from a write that failed: those entries were never stored
        int n = batch.size();
        for (int i = 0; i < n; i++) {
            if (batch.get(i) instanceof MessageRecord m && mayBeIndexed(m)) {
                SearchBacklogRecord b = new SearchBacklogRecord(nextId++, m.conversationId(), m.seq());
                batch.add(b);
                unwritten.add(b);
            }
        }
    }

    /**
     * False only for records that were never text and never will be: a new service or data message.
     * An edit or a recall may remove a text message from the index, so it is always taken.
     */
    private static boolean mayBeIndexed(MessageRecord m) {
        return m.bodyKind() == BodyKind.TEXT || m.extras().editedAtMs() != 0 || m.extras().recalled();
    }

    @Override
    public void written() {
        for (SearchBacklogRecord b : unwritten) {
            if (!hints.offer(b)) {
                overflowed = true; // the entry is durable in the store; the indexer will read it there
            }
        }
        unwritten.clear();
    }

    // ---- indexer thread

    /** Backlog entries not yet applied to the index (an estimate for metrics; 0 when caught up). */
    public long lag() {
        return Math.max(0, nextId - 1 - doneId);
    }

    /** True while the index is being rebuilt from the store (search results may be incomplete). */
    public boolean rebuilding() {
        return rebuildAfter != null;
    }

    private void run() {
        while (true) {
            try {
                boolean stopping = closed;
                boolean worked = step(stopping);
                if (dirty && (stopping || System.nanoTime() - lastCommit >= commitIntervalNanos)) {
                    commit();
                }
                if (stopping && !worked) {
                    return;
                }
            } catch (RuntimeException e) {
                // The store or the index failed (disk full, I/O error): nothing was lost, the backlog
                // still holds every entry not committed. Try again after a pause.
                log.error("search indexing failed; retrying in 1 s", e);
                catchingUp = true;
                if (closed) {
                    return;
                }
                sleep(1_000);
            }
        }
    }

    /** One round of work; true when it applied anything. */
    private boolean step(boolean stopping) {
        int n = 0;
        if (overflowed) {
            overflowed = false;
            catchingUp = true;
        }
        if (catchingUp) {
            hints.clear(); // everything a dropped or cleared hint named is read from the store below
            List<SearchBacklogRecord> page = store.searchBacklog(doneId, PAGE);
            int applied = applyBacklog(page, false);
            n += applied;
            catchingUp = page.size() == PAGE;
            if (replayed >= 0) {
                replayed += applied;
                if (!catchingUp && replayed > 0) {
                    // Entries left at start are what the index had not committed when the process stopped.
                    log.info("search index: replayed {} backlog entries left from before the start", replayed);
                }
                if (!catchingUp) {
                    replayed = -1;
                }
            }
        } else {
            List<SearchBacklogRecord> taken = new ArrayList<>();
            SearchBacklogRecord first = stopping || rebuildAfter != null ? hints.poll() : poll();
            if (first != null) {
                taken.add(first);
                hints.drainTo(taken, PAGE - 1);
            }
            n += applyBacklog(taken, true);
        }
        if (rebuildAfter != null && !stopping) {
            n += rebuildStep();
        }
        if (n > 0) {
            index.refresh();
            dirty = true;
        }
        return n > 0;
    }

    private SearchBacklogRecord poll() {
        long waitNanos = dirty ? Math.max(1, commitIntervalNanos - (System.nanoTime() - lastCommit)) : 1_000_000_000L;
        try {
            return hints.poll(Math.min(waitNanos, 200_000_000L), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Applies entries in id order. Hints must follow each other without a gap: a missing id is a
     * dropped hint (or a batch whose write failed), and only the store can tell which, so a gap
     * switches to reading the backlog from the store, where every durable entry is.
     */
    private int applyBacklog(List<SearchBacklogRecord> entries, boolean fromHints) {
        int n = 0;
        for (SearchBacklogRecord b : entries) {
            if (b.id() <= doneId) {
                continue; // read from the store already
            }
            if (fromHints && b.id() != doneId + 1) {
                catchingUp = true;
                return n;
            }
            MessageRecord m = store.message(b.conversationId(), b.seq()).orElse(null);
            if (m != null && searchable(m)) {
                index.put(doc(m));
            } else {
                index.delete(b.conversationId(), b.seq());
            }
            doneId = b.id();
            n++;
        }
        return n;
    }

    private int rebuildStep() {
        List<MessageRecord> page = store.messagesAfter(rebuildAfter[0], rebuildAfter[1], PAGE);
        for (MessageRecord m : page) {
            if (searchable(m)) {
                index.put(doc(m));
            }
        }
        if (page.size() < PAGE) {
            log.info("search index rebuilt from the store");
            rebuildAfter = null;
            commit(); // at once: a finished rebuild must not be redone after a crash
        } else {
            rebuildAfter = new long[] {page.getLast().conversationId(), page.getLast().seq()};
        }
        return page.size();
    }

    private void commit() {
        index.commit(rebuildAfter == null ? DONE : REBUILD + rebuildAfter[0] + " " + rebuildAfter[1]);
        lastCommit = System.nanoTime();
        dirty = false;
        if (doneId > committedId) {
            ledger.housekeeping(List.of(new DeleteSearchBacklog(doneId)));
            committedId = doneId;
        }
    }

    /** Text messages of every kind of conversation (direct, group, channel) that are not recalled. */
    private boolean searchable(MessageRecord m) {
        if (m.bodyKind() != BodyKind.TEXT || m.extras().recalled()) {
            return false;
        }
        if (searchableConversations.size() > 100_000) {
            searchableConversations.clear(); // a kind never changes; the map is only a cache
        }
        return searchableConversations.computeIfAbsent(m.conversationId(), id -> store.conversation(id)
                .map(ConversationRecord::kind).isPresent());
    }

    private static SearchIndex.Doc doc(MessageRecord m) {
        return new SearchIndex.Doc(m.conversationId(), m.seq(), m.senderId(), m.tsMs(),
                new String(m.bodyUnsafe(), StandardCharsets.UTF_8));
    }

    private static long[] parseRebuild(String checkpoint) {
        if (checkpoint.startsWith(REBUILD)) {
            String[] parts = checkpoint.substring(REBUILD.length()).split(" ");
            try {
                return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
            } catch (RuntimeException e) {
                log.warn("unreadable search checkpoint '{}': rebuilding from the start", checkpoint);
            }
        }
        return new long[] {0, 0};
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Applies what is queued, commits the index and stops. Call after the commit pipeline closed
     * (nothing new arrives) and before the store and the index are closed.
     */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
