package dev.tern.core.commit;

import dev.tern.core.store.Mutation;

import java.util.List;

/**
 * What a preparer hands to the pipeline: the mutations to make durable, the result to return once
 * they are, and what to do then (publish pushes). {@code afterDurable} runs on the publisher thread
 * and must not block.
 */
public record Prepared<T>(List<Mutation> mutations, T result, Runnable afterDurable) {
    public static <T> Prepared<T> of(List<Mutation> mutations, T result) {
        return new Prepared<>(mutations, result, () -> { });
    }
}
