package dev.tern.core.ledger;

import dev.tern.core.store.Mutation;
import dev.tern.core.store.SequenceBound;
import dev.tern.core.store.Store;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All sequences of one node: ids ("user", "conv", "device"), conversation seqs ("c/{id}") and user
 * update-log pts ("u/{id}"). Call {@link #allocate} and {@link #reset} only under the sequencing lock.
 */
public final class Sequencers {

    /** One sequence. Mutated only under the sequencing lock. */
    private static final class State {
        long floor;     // numbers up to here may have been issued: the next one is above it
        long previous;  // the last number actually used (links entries: prevPts)
        long bound;     // persisted upper bound, or the raise queued ahead of every later use
        final long epoch; // the reset generation it was loaded in; older states are never used

        State(long floor, long previous, long bound, long epoch) {
            this.floor = floor;
            this.previous = previous;
            this.bound = bound;
            this.epoch = epoch;
        }
    }

    /** A freshly issued number and the number issued before it in the same sequence (0 if none). */
    public record Issued(long value, long previous) {}

    private final Store store;
    private final int step;
    private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();
    private volatile long epoch;

    public Sequencers(Store store, int step) {
        this.store = store;
        this.step = step;
    }

    public static String conversationKey(long conversationId) {
        return "c/" + conversationId;
    }

    public static String userKey(long userId) {
        return "u/" + userId;
    }

    /** Loads a sequence if absent. Safe outside the lock: a racing load reads the same stored values. */
    public void preload(String key) {
        state(key);
    }

    /**
     * Issues the next number. When it passes the bound, a raised {@link SequenceBound} is appended to
     * {@code batch}, which the pipeline commits before any batch that uses a later number.
     */
    public Issued allocate(String key, List<Mutation> batch) {
        State s = state(key);
        long value = s.floor + 1;
        if (value > s.bound) {
            s.bound = value + step - 1;
            batch.add(new SequenceBound(key, s.bound));
        }
        long previous = s.previous;
        s.floor = value;
        s.previous = value;
        return new Issued(value, previous);
    }

    /** True when the sequence is in memory for the current generation (allocating it reads nothing). */
    public boolean isLoaded(String key) {
        State s = states.get(key);
        return s != null && s.epoch == epoch;
    }

    /** The last number used in this sequence (0 when none). */
    public long last(String key) {
        return state(key).previous;
    }

    /**
     * Forgets all state; the next use reloads from the store. Call under the lock, only when nothing
     * is queued or being written (the pipeline's failure path), so the store holds every number issued.
     */
    public void reset() {
        epoch++;
        states.clear();
    }

    /**
     * The current state of a sequence. A load that raced with a {@link #reset} (it read the store
     * before the reset and would install afterwards) is discarded by its epoch and done again.
     */
    private State state(String key) {
        while (true) {
            long e = epoch;
            State s = states.get(key);
            if (s != null && s.epoch == e) {
                return s;
            }
            long bound = store.sequenceBound(key);
            long stored = lastStored(key);
            State loaded = new State(Math.max(bound, stored), stored, Math.max(bound, stored), e);
            // Never replace a state of the same or a newer generation: it may already have issued numbers.
            State chosen = states.compute(key, (k, old) -> old != null && old.epoch >= e ? old : loaded);
            if (chosen.epoch == epoch) {
                return chosen;
            }
        }
    }

    private long lastStored(String key) {
        if (key.startsWith("u/")) {
            return store.lastPts(Long.parseLong(key.substring(2)));
        }
        if (key.startsWith("c/")) {
            return store.lastSeq(Long.parseLong(key.substring(2)));
        }
        return 0;
    }
}
