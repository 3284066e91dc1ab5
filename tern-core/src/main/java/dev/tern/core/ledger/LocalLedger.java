package dev.tern.core.ledger;

import dev.tern.core.admission.Load;
import dev.tern.core.store.DeleteDedup;
import dev.tern.core.store.DeleteSearchBacklog;
import dev.tern.core.store.DeleteTicket;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.Store;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The single-node write kernel: every scope is ordered under one sequencing lock on this process,
 * batches are group-committed to the embedded store, and results and pushes are published in commit
 * order. It alone holds the store's write side, the commit pipeline and the sequencers.
 */
public final class LocalLedger implements Ledger, Load, AutoCloseable {
    private final Store store;
    private final Sequencers sequencers;
    private final Conversations conversations;
    private final Timeline timeline;
    private final CommitPipeline pipeline;
    private final List<Runnable> resets = new CopyOnWriteArrayList<>();

    /**
     * @param store  the store; owned by whoever opened it
     * @param fanout where pushes of durable entries go (this node's sessions)
     */
    public LocalLedger(Store store, Fanout fanout, LedgerConfig config) {
        this.store = store;
        this.sequencers = new Sequencers(store, config.sequenceStep());
        this.conversations = new Conversations(store);
        this.timeline = new Timeline(sequencers, fanout, conversations, config.broadcastThreshold());
        // After a failed write, drop every number and cache the failed batches may have touched.
        this.pipeline = new CommitPipeline(store, config.maxBatchMutations(), () -> {
            sequencers.reset();
            conversations.reset();
            resets.forEach(Runnable::run);
        });
    }

    /** The conversation state cache (read anywhere; written only inside changes). */
    public Conversations conversations() {
        return conversations;
    }

    /** Appends to conversations and update logs, inside changes. */
    public Timeline timeline() {
        return timeline;
    }

    /**
     * Registers a cache derived from ordered state that must be dropped when a write fails (it may
     * hold what the failed batches changed). Runs under the sequencing lock, nothing in flight.
     */
    public void onWriteFailure(Runnable reset) {
        resets.add(reset);
    }

    @Override
    public <T> CompletableFuture<T> submit(Scope scope, Supplier<Prepared<T>> change) {
        Objects.requireNonNull(scope, "scope");
        return pipeline.submit(change);
    }

    @Override
    public <T> CompletableFuture<T> submitIfWarm(Scope scope, BooleanSupplier stillWarm,
                                                 Supplier<Prepared<T>> change) {
        Objects.requireNonNull(scope, "scope");
        return pipeline.trySubmit(stillWarm, change);
    }

    @Override
    public <T> CompletableFuture<T> durableValue(Scope scope, Supplier<T> value) {
        Objects.requireNonNull(scope, "scope");
        return pipeline.durableValue(value);
    }

    @Override
    public long newId(IdSpace space, List<Mutation> batch) {
        return sequencers.allocate(space.key, batch).value();
    }

    @Override
    public long lastSeq(long conversationId) {
        return sequencers.last(Sequencers.conversationKey(conversationId));
    }

    @Override
    public long lastPts(long userId) {
        return sequencers.last(Sequencers.userKey(userId));
    }

    @Override
    public void preload(IdSpace space) {
        sequencers.preload(space.key);
    }

    @Override
    public void preloadUser(long userId) {
        sequencers.preload(Sequencers.userKey(userId));
    }

    @Override
    public void preloadConversation(long conversationId) {
        sequencers.preload(Sequencers.conversationKey(conversationId));
    }

    @Override
    public void housekeeping(List<Mutation> deletions) {
        for (Mutation m : deletions) {
            if (!(m instanceof DeleteDedup || m instanceof DeleteTicket || m instanceof DeleteSearchBacklog)) {
                throw new IllegalArgumentException("housekeeping writes only expired dedup records, tickets and "
                        + "search backlog, not " + m.getClass().getSimpleName());
            }
        }
        if (!deletions.isEmpty()) {
            store.write(deletions);
        }
    }

    /** How long the oldest change not yet completed has waited: the delay admission control watches. */
    @Override
    public long backlogNanos() {
        return pipeline.backlogNanos();
    }

    @Override
    public long submitted() {
        return pipeline.submitted();
    }

    @Override
    public long completed() {
        return pipeline.completed();
    }

    /** False from a failed store write until the next one succeeds (at most 30 s). */
    public boolean writable() {
        return pipeline.writable();
    }

    /** Store writes (fsyncs) so far. */
    public long commits() {
        return pipeline.commits();
    }

    /** Changes made durable so far: with {@link #commits}, the group-commit ratio. */
    public long batches() {
        return pipeline.batches();
    }

    /** Sees every group commit (metrics). */
    public void listen(CommitListener listener) {
        pipeline.listen(listener);
    }

    /** Installs the one write tap (the search indexer); before the first change. */
    public void tap(WriteTap tap) {
        pipeline.tap(tap);
    }

    /** Stops taking changes, drains what is queued (written and published), then returns. */
    @Override
    public void close() {
        pipeline.close();
        timeline.close(); // after the pipeline: its last publishes may still hand broadcasts over
    }
}
