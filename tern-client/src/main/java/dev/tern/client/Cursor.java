package dev.tern.client;

import dev.tern.protocol.v1.SyncResult;
import dev.tern.protocol.v1.Update;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongFunction;

/**
 * The device's position in its update log. All state lives on one thread, which also runs the
 * listener, so updates are applied and delivered strictly in pts order. An entry whose prev_pts
 * is not the cursor reveals a gap: the cursor does not move and a sync fetches what is missing.
 */
final class Cursor {
    static final long RETRY_MS = 1_000;
    private final TernListener listener;
    private final LongFunction<CompletableFuture<SyncResult>> fetch;
    private final java.util.function.Consumer<Update> handed; // sees each update the listener gets, first
    private final Scheduler scheduler; // a failed sync is tried again after RETRY_MS
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tern-client-events");
        t.setDaemon(true);
        return t;
    });
    private long value;      // confined to the thread
    private boolean syncing; // confined to the thread
    private boolean again;   // confined to the thread
    private boolean known;   // confined to the thread: false until login/resume set the cursor
    // Entries that arrived while a sync was running, by pts: applied after it when they link up,
    // so one gap under steady traffic does not turn into one sync after another.
    private final java.util.TreeMap<Long, Held> held = new java.util.TreeMap<>();

    private record Held(long prevPts, Update update) {}
    private volatile long published;

    Cursor(TernListener listener, LongFunction<CompletableFuture<SyncResult>> fetch,
           java.util.function.Consumer<Update> handed, Scheduler scheduler) {
        this.listener = listener;
        this.fetch = fetch;
        this.handed = handed;
        this.scheduler = scheduler;
    }

    long value() {
        return published;
    }

    /** Sets the cursor after login or resume; pushes that arrived before it are left to the sync. */
    void reset(long pts) {
        run(() -> {
            known = true;
            set(pts);
        });
    }

    /** After a logout: no cursor until the next login or resume sets one; nothing held or syncing. */
    void forget() {
        run(() -> {
            known = false;
            syncing = false;
            again = false;
            held.clear();
        });
    }

    /** A log entry seen in a push or a response; {@code update} is null for the device's own entries. */
    void entry(long pts, long prevPts, Update update) {
        run(() -> {
            if (!known) {
                return; // before the session answer: the sync that follows it brings this entry
            }
            if (pts <= value) {
                return; // already applied
            }
            if (syncing) {
                held.put(pts, new Held(prevPts, update));
            } else if (prevPts == value) {
                set(pts);
                if (update != null) {
                    deliver(update);
                }
            } else {
                held.put(pts, new Held(prevPts, update));
                gapNow();
            }
        });
    }

    /**
     * A push outside the log (pts 0): a message of a broadcast conversation or a delivered marker,
     * delivered as it comes.
     * If one is missed, the next sync names the conversation in its news.
     */
    void outsideLog(Update update) {
        run(() -> {
            if (known) {
                deliver(update);
            }
        });
    }

    /** Something may have been missed (e.g. after a reconnect): sync from the cursor. */
    void gap() {
        run(this::gapNow);
    }

    void run(Runnable r) {
        try {
            thread.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    void close() {
        thread.shutdownNow();
    }

    private void gapNow() {
        if (!known) {
            return;
        }
        if (syncing) {
            again = true;
            return;
        }
        syncing = true;
        again = false;
        page();
    }

    private void page() {
        fetch.apply(value).whenComplete((result, error) -> run(() -> {
            if (!known) {
                syncing = false; // logged out meanwhile
                return;
            }
            if (error != null) {
                syncing = false;
                // Try again shortly; if the connection is gone, the reconnect's sync takes over.
                try {
                    scheduler.schedule(this::gap, RETRY_MS);
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    // the client closed: nothing to sync for
                }
                return;
            }
            for (Update u : result.getUpdatesList()) {
                if (u.getPts() > value) {
                    set(u.getPts());
                    deliver(u);
                }
            }
            if (result.getPts() > value) {
                set(result.getPts());
            }
            if (result.getMore() || again) {
                again = false;
                page();
                return;
            }
            result.getNewsList().forEach(listener::onNews);
            // Entries held during the sync: drop what it brought, apply what links on.
            held.headMap(value, true).clear();
            while (!held.isEmpty() && held.firstEntry().getValue().prevPts() == value) {
                var e = held.pollFirstEntry();
                set(e.getKey());
                if (e.getValue().update() != null) {
                    deliver(e.getValue().update());
                }
            }
            if (held.isEmpty()) {
                syncing = false;
            } else {
                page(); // still a hole below the held entries
            }
        }));
    }

    /** Hands an update to the application (on the cursor's thread). */
    private void deliver(Update u) {
        handed.accept(u);
        listener.onUpdate(u);
    }

    private void set(long pts) {
        value = pts;
        published = pts;
    }
}
