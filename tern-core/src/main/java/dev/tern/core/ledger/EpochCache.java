package dev.tern.core.ledger;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A read-through cache whose {@link #reset} cannot be undone by a load that was already under way:
 * every entry carries the reset generation it was loaded in, and a load from an older generation
 * never replaces, nor is returned instead of, a current one. Writers ({@link #put}) hold the
 * sequencing lock, as does {@link #reset}.
 */
final class EpochCache<K, V> {
    private record Entry<V>(V value, long epoch) {}

    private final ConcurrentHashMap<K, Entry<V>> map = new ConcurrentHashMap<>();
    private volatile long epoch;

    /** The cached value, or {@code loader}'s (which may return null: nothing is cached then). */
    V get(K key, Function<K, V> loader) {
        while (true) {
            long e = epoch;
            Entry<V> found = map.get(key);
            if (found != null && found.epoch == e) {
                return found.value;
            }
            V loaded = loader.apply(key);
            if (loaded == null) {
                return null;
            }
            Entry<V> chosen = map.compute(key, (k, old) -> old != null && old.epoch >= e ? old : new Entry<>(loaded, e));
            if (chosen.epoch == epoch) {
                return chosen.value;
            }
        }
    }

    /** The cached value without loading, or null. */
    V peek(K key) {
        Entry<V> found = map.get(key);
        return found != null && found.epoch == epoch ? found.value : null;
    }

    /** Under the sequencing lock only. */
    void put(K key, V value) {
        map.put(key, new Entry<>(value, epoch));
    }

    /** Under the sequencing lock, when nothing is queued or being written. */
    void reset() {
        epoch++;
        map.clear();
    }
}
