package dev.tern.core.ledger;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Operations in progress by key (a device and its client id), so a repeat that arrives while the
 * first is still running joins it instead of running twice. A key is free again once its outcome is
 * known; by then the outcome is durable, and repeats are recognised from the store.
 */
public final class Inflight<K, V> {
    private final Map<K, CompletableFuture<V>> running = new ConcurrentHashMap<>();

    /** The operation already running under {@code key}, or null after registering {@code mine} for it. */
    public CompletableFuture<V> join(K key, CompletableFuture<V> mine) {
        return running.putIfAbsent(key, mine);
    }

    /** {@code mine} takes {@code outcome}'s result when it comes, and the key is free from then. */
    public CompletableFuture<V> settle(K key, CompletableFuture<V> mine, CompletableFuture<V> outcome) {
        outcome.whenComplete((value, error) -> {
            running.remove(key, mine);
            if (error != null) {
                mine.completeExceptionally(error);
            } else {
                mine.complete(value);
            }
        });
        return mine;
    }

    /** Frees the key without an outcome of its own (the operation went another way). */
    public void release(K key, CompletableFuture<V> mine) {
        running.remove(key, mine);
    }

    /** Frees the key and fails whoever joined. */
    public void fail(K key, CompletableFuture<V> mine, Throwable error) {
        running.remove(key, mine);
        mine.completeExceptionally(error);
    }
}
