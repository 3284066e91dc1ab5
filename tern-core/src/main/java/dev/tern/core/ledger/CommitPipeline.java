package dev.tern.core.ledger;

import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** Assigns order under one lock, writes in that order with group commit, publishes in that order. */
public final class CommitPipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CommitPipeline.class);

    /**
     * A queued batch, or (prepared == null) a poison mark: a preparer failed unexpectedly after it may
     * have changed in-memory state, so everything queued behind the mark is failed and the state reset
     * once everything ahead of it is written.
     */
    private static final class Pending<T> {
        final Prepared<T> prepared;
        final CompletableFuture<T> future;
        final long queuedAt = System.nanoTime();
        T prior; // set on the committer when the batch repeats an earlier durable one

        Pending(Prepared<T> prepared, CompletableFuture<T> future) {
            this.prepared = prepared;
            this.future = future;
        }

        boolean poison() {
            return prepared == null;
        }

        /** On the committer: decides whether this is a repeat, and adds what must be written. */
        void collect(Store store, List<Mutation> out) {
            if (prepared.duplicate() != null) {
                prior = prepared.duplicate().priorResult();
            }
            if (prior == null) {
                out.addAll(prepared.mutations());
            } else {
                for (Mutation m : prepared.mutations()) {
                    if (!Prepared.repeatable(m)) {
                        out.add(m);
                    }
                }
            }
        }

        void complete() {
            if (prior != null) {
                future.complete(prior);
                return;
            }
            try {
                prepared.afterDurable().run();
            } catch (Throwable e) {
                log.error("after-durable action failed", e);
            }
            future.complete(prepared.result());
        }
    }

    private final Store store;
    private final int maxBatchMutations;
    private final Runnable onWriteFailure;
    private final ReentrantLock sequencing = new ReentrantLock();
    private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<List<Pending<?>>> published = new LinkedBlockingQueue<>();
    private final Thread committer;
    private final Thread publisher;
    private final LongAdder batches = new LongAdder();
    private final LongAdder commits = new LongAdder();
    // Batches queued (under the sequencing lock) and batches settled (completed or failed). When they
    // are equal under the lock, nothing is in flight, so every number issued so far is durable.
    private volatile long queuedBatches; // written under the sequencing lock, read by admission
    private final java.util.concurrent.atomic.AtomicLong settledBatches = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean closed;
    // When the last store write failed (System.nanoTime(); 0: it succeeded).
    private volatile long lastWriteFailedAt;
    private volatile CommitListener listener = (batches, mutations, nanos) -> { };
    private volatile WriteTap tap = WriteTap.NONE;
    // Queue times of the oldest batch being written / published (0: none), for backlogNanos().
    private volatile long writingSince;
    private volatile long publishingSince;

    /**
     * @param onWriteFailure called under the sequencing lock after a failed write, to drop in-memory
     *                       state (sequencers, caches) that the failed batches had changed
     */
    public CommitPipeline(Store store, int maxBatchMutations, Runnable onWriteFailure) {
        this.store = store;
        this.maxBatchMutations = maxBatchMutations;
        this.onWriteFailure = onWriteFailure;
        this.committer = Thread.ofPlatform().name("tern-committer").daemon().start(this::commitLoop);
        this.publisher = Thread.ofPlatform().name("tern-publisher").daemon().start(this::publishLoop);
    }

    /**
     * Runs {@code preparer} under the sequencing lock and queues its batch. The preparer must not
     * block on I/O for long (point reads of cold state are tolerated) and may throw a
     * {@link Failure} to refuse; then nothing is queued. The future completes after the batch is
     * durable, or fails with {@link Failure} (STORAGE_UNAVAILABLE, SHUTTING_DOWN).
     */
    public <T> CompletableFuture<T> submit(Supplier<Prepared<T>> preparer) {
        sequencing.lock();
        return prepareLocked(preparer);
    }

    /**
     * For an event loop: the same as {@link #submit}, but only if the lock is free right now and
     * {@code stillWarm} holds under it (nothing the preparer needs must be read from the store);
     * returns null otherwise and the caller takes the blocking path.
     */
    public <T> CompletableFuture<T> trySubmit(java.util.function.BooleanSupplier stillWarm,
                                              Supplier<Prepared<T>> preparer) {
        if (!sequencing.tryLock()) {
            return null;
        }
        boolean warm;
        try {
            warm = stillWarm.getAsBoolean();
        } catch (RuntimeException e) {
            sequencing.unlock();
            throw e;
        }
        if (!warm) {
            sequencing.unlock();
            return null;
        }
        return prepareLocked(preparer);
    }

    /** Runs the preparer and queues its batch; called holding the lock, which it releases. */
    private <T> CompletableFuture<T> prepareLocked(Supplier<Prepared<T>> preparer) {
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            if (closed) {
                throw new Failure(ErrorCode.SHUTTING_DOWN, "server is shutting down");
            }
            Prepared<T> prepared;
            try {
                prepared = preparer.get();
            } catch (Failure refusal) {
                throw refusal; // refusals are raised before any state changes
            } catch (RuntimeException unexpected) {
                // Numbers may have been issued and caches changed for a batch that will never exist.
                queue.add(new Pending<>(null, new CompletableFuture<>()));
                queuedBatches++; // settled once the committer has handled it: until then nothing is durable
                throw unexpected;
            }
            queue.add(new Pending<>(prepared, future));
            queuedBatches++;
        } finally {
            sequencing.unlock();
        }
        return future;
    }

    /**
     * A value computed under the sequencing lock, returned once every batch queued before it is
     * durable: e.g. the newest pts a client may start from without skipping an entry in flight.
     */
    public <T> CompletableFuture<T> durableValue(Supplier<T> value) {
        sequencing.lock();
        try {
            // Nothing in flight: the value is already durable, so it needs no trip through the
            // committer and publisher (a reconnect storm on an otherwise quiet server).
            if (!closed && settledBatches.get() == queuedBatches) {
                return CompletableFuture.completedFuture(value.get());
            }
        } finally {
            sequencing.unlock();
        }
        return submit(() -> Prepared.of(List.of(), value.get()));
    }

    /** Batches queued so far (each request's change is one), for admission's rates. */
    public long submitted() {
        return queuedBatches;
    }

    /** Batches settled so far (completed or failed). */
    public long completed() {
        return settledBatches.get();
    }

    /**
     * How long the oldest batch not yet completed has been waiting (queued, being written, or
     * waiting for the publisher): a new request would wait at least this long for its ack. Zero
     * when nothing is pending. This is the queueing delay admission control watches.
     */
    public long backlogNanos() {
        long oldest = publishingSince;
        if (oldest == 0) {
            List<Pending<?>> next = published.peek();
            oldest = next == null || next.isEmpty() ? 0 : next.getFirst().queuedAt;
        }
        if (oldest == 0) {
            oldest = writingSince;
        }
        if (oldest == 0) {
            Pending<?> head = queue.peek();
            oldest = head == null ? 0 : head.queuedAt;
        }
        return oldest == 0 ? 0 : Math.max(0, System.nanoTime() - oldest);
    }

    /**
     * False from a failed store write until the next one succeeds, for at most 30 s: a node that
     * readiness takes out of rotation may see no write to clear it, so the verdict expires and the
     * next failure renews it.
     */
    public boolean writable() {
        long failed = lastWriteFailedAt;
        return failed == 0 || System.nanoTime() - failed > 30_000_000_000L;
    }

    /** Number of store writes so far (each one fsync). */
    public long commits() {
        return commits.sum();
    }

    /** Number of submitted batches made durable so far. */
    public long batches() {
        return batches.sum();
    }

    private void commitLoop() {
        List<Pending<?>> group = new ArrayList<>();
        List<Mutation> merged = new ArrayList<>();
        while (true) {
            try {
                Pending<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closed && queue.isEmpty()) {
                        published.add(List.of());
                        return;
                    }
                    continue;
                }
                Pending<?> poison = first.poison() ? first : null;
                writingSince = first.queuedAt;
                if (poison == null) {
                    group.add(first);
                    first.collect(store, merged);
                    Pending<?> next;
                    while (merged.size() < maxBatchMutations && (next = queue.poll()) != null) {
                        if (next.poison()) {
                            poison = next;
                            break;
                        }
                        group.add(next);
                        next.collect(store, merged);
                    }
                }
                boolean written = group.isEmpty() || write(group, merged);
                if (written) {
                    group = new ArrayList<>(); // the publisher owns it now: the catch-all must not fail it again
                }
                if (poison != null && written) {
                    failQueued(List.of(), "a request could not be prepared");
                }
                if (poison != null) {
                    settledBatches.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable t) {
                // Never let the committer die silently: everything waiting on it would hang.
                log.error("committer failed; failing queued batches", t);
                failQueued(group, "internal error");
            } finally {
                writingSince = 0;
                group = new ArrayList<>();
                merged.clear();
            }
        }
    }

    public void listen(CommitListener l) {
        listener = l;
    }

    /** Installs the one tap (the search indexer); set before the first submit. */
    public void tap(WriteTap t) {
        tap = t;
    }

    /** Writes one group commit; true when it is durable and handed to the publisher. */
    private boolean write(List<Pending<?>> group, List<Mutation> merged) {
        try {
            if (!merged.isEmpty()) {
                long t0 = System.nanoTime();
                WriteTap t = tap;
                t.beforeWrite(merged);
                store.write(merged);
                commits.increment();
                lastWriteFailedAt = 0;
                try {
                    t.written();
                } catch (RuntimeException e) {
                    log.warn("write tap failed", e); // the batch is durable: nothing to undo
                }
                try {
                    listener.committed(group.size(), merged.size(), System.nanoTime() - t0);
                } catch (RuntimeException e) {
                    log.warn("commit listener failed", e); // metrics must never fail a durable write
                }
            }
        } catch (RuntimeException e) {
            lastWriteFailedAt = System.nanoTime() | 1; // never 0
            log.error("store write of {} mutations failed; failing {} queued batches", merged.size(),
                    group.size() + queue.size(), e);
            failQueued(group, "the write could not be made durable");
            return false;
        }
        batches.add(group.size());
        published.add(group); // the commit loop starts a new list for the next group
        return true;
    }

    /**
     * Fails {@code group} and everything queued (they were prepared on state that assumed what failed)
     * and drops derived in-memory state. Runs on the committer, so nothing is being written meanwhile.
     */
    private void failQueued(List<Pending<?>> group, String why) {
        List<Pending<?>> failed = new ArrayList<>(group);
        sequencing.lock();
        try {
            queue.drainTo(failed);
            onWriteFailure.run();
        } finally {
            sequencing.unlock();
        }
        Failure failure = new Failure(ErrorCode.STORAGE_UNAVAILABLE, why + "; nothing was acknowledged, retry");
        for (Pending<?> p : failed) {
            p.future.completeExceptionally(failure);
            settledBatches.incrementAndGet(); // poison marks too: each was counted when queued
        }
    }

    private void publishLoop() {
        ArrayDeque<Pending<?>> work = new ArrayDeque<>();
        while (true) {
            try {
                List<Pending<?>> group = published.take();
                if (group.isEmpty() && closed) {
                    return;
                }
                publishingSince = group.isEmpty() ? 0 : group.getFirst().queuedAt;
                work.addAll(group);
                Pending<?> p;
                while ((p = work.poll()) != null) {
                    try {
                        p.complete();
                    } finally {
                        settledBatches.incrementAndGet();
                    }
                }
                publishingSince = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable t) {
                log.error("publisher failed on a batch; continuing", t);
            }
        }
    }

    /** Stops accepting, drains what is queued (writes and publishes it), then returns. */
    @Override
    public void close() {
        sequencing.lock();
        try {
            closed = true;
        } finally {
            sequencing.unlock();
        }
        try {
            committer.join(30_000);
            publisher.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
