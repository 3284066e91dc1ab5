package dev.tern.core.ledger;

import dev.tern.core.store.Mutation;

import java.util.List;

/**
 * What a preparer hands to the pipeline: the mutations to make durable, the result to return once
 * they are, and what to do then (publish pushes). {@code afterDurable} runs on the publisher thread
 * and must not block.
 *
 * <p>{@code duplicate}, when set, is asked on the committer just before the write whether this batch
 * repeats one already durable (a retried send). If it returns a prior result, the batch's
 * {@link #repeatable} mutations are not written, its push is not sent, and the prior result is
 * returned; its other mutations (sequencer bounds, a conversation it created) are still written,
 * because later batches may rely on them.
 */
public record Prepared<T>(List<Mutation> mutations, T result, Runnable afterDurable, DuplicateCheck<T> duplicate) {

    /** Looks up, on the committer, the result of an earlier durable batch this one repeats, or null. */
    @FunctionalInterface
    public interface DuplicateCheck<T> {
        T priorResult();
    }

    /** True for the mutations a repeated batch drops: the ones that exist only for its own content. */
    public static boolean repeatable(Mutation m) {
        return m instanceof dev.tern.core.store.MessageRecord || m instanceof dev.tern.core.store.UpdateRecord
                || m instanceof dev.tern.core.store.DedupRecord;
    }

    public Prepared(List<Mutation> mutations, T result, Runnable afterDurable) {
        this(mutations, result, afterDurable, null);
    }

    public static <T> Prepared<T> of(List<Mutation> mutations, T result) {
        return new Prepared<>(mutations, result, () -> { });
    }
}
