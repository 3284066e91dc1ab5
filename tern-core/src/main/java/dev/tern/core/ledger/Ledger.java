package dev.tern.core.ledger;

import dev.tern.core.store.Mutation;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The write kernel's facade: the one seam through which features change durable state. A feature
 * hands over a change (a preparer that, given the current state, returns the mutations to make
 * durable, its result and what to publish afterwards) and gets a future that completes once the
 * change is durable, in order.
 *
 * <p>Single node: {@link LocalLedger} runs every change under one sequencing lock, in-process, on
 * the embedded store. A cluster implementation routes each change to the owner of its
 * {@link Scope} and runs it there; so a change reads and writes only state of its own scope (plus
 * the update logs of the users it appends entries for), and nothing here promises one lock across
 * scopes.
 *
 * <p>Preparers run with the ordering guarantee of their scope: they may throw a
 * {@link dev.tern.core.Failure} to refuse (nothing is written then), must not block on network I/O,
 * and may call {@link #newId} and the {@link Timeline} and {@link Conversations} writers.
 */
public interface Ledger {

    /** The partition a change orders: the unit a cluster assigns to one owner at a time. */
    sealed interface Scope permits Scope.Conversation, Scope.User, Scope.Ids, Scope.Media {
        /** A conversation: its seq, its members, its settings, its messages. */
        record Conversation(long conversationId) implements Scope {
            public Conversation {
                require(conversationId > 0, "conversation id");
            }
        }

        /** One user's own state: their update log (pts), settings, contacts, blocks, dialogs, devices. */
        record User(long userId) implements Scope {
            public User {
                require(userId > 0, "user id");
            }
        }

        /** A change that allocates from a global id space (new users, conversations, devices). */
        record Ids(IdSpace space) implements Scope {
            public Ids {
                require(space != null, "id space");
            }
        }

        /**
         * The media library: files, their reference counts and each user's stored bytes, which a
         * change updates together. One scope for the deployment (a cluster may shard it by file hash).
         */
        record Media() implements Scope {}

        static Scope conversation(long id) {
            return new Conversation(id);
        }

        static Scope user(long id) {
            return new User(id);
        }

        static Scope ids(IdSpace space) {
            return new Ids(space);
        }

        private static void require(boolean ok, String what) {
            if (!ok) {
                throw new IllegalArgumentException("a scope needs a valid " + what);
            }
        }
    }

    /** The global id spaces; their numbers are unique across the deployment. */
    enum IdSpace {
        USER("user"), CONVERSATION("conv"), DEVICE("device");

        final String key;

        IdSpace(String key) {
            this.key = key;
        }
    }

    /**
     * Orders {@code change} in {@code scope} and returns at once; the future completes once its
     * batch is durable (or fails with a {@link dev.tern.core.Failure}: STORAGE_UNAVAILABLE,
     * SHUTTING_DOWN). A refusal thrown by the preparer is thrown here, before anything is queued.
     * Callers that order several changes one after another get them in that order.
     */
    <T> CompletableFuture<T> submit(Scope scope, Supplier<Prepared<T>> change);

    /**
     * For an event loop: the same as {@link #submit}, but only if ordering can start right now
     * without waiting and {@code stillWarm} holds when it does (nothing the preparer needs must be
     * read from the store); null otherwise, and the caller takes the blocking path.
     */
    <T> CompletableFuture<T> submitIfWarm(Scope scope, BooleanSupplier stillWarm, Supplier<Prepared<T>> change);

    /**
     * A value computed in {@code scope}'s order, returned once every change ordered before it there
     * is durable: e.g. the newest pts a device may start from without skipping an entry in flight.
     */
    <T> CompletableFuture<T> durableValue(Scope scope, Supplier<T> value);

    /** Within a change: the next number of a global id space (its bound raise, if any, goes into {@code batch}). */
    long newId(IdSpace space, List<Mutation> batch);

    /** The newest seq ordered in the conversation (it may not be durable yet), 0 when none. */
    long lastSeq(long conversationId);

    /** The newest pts ordered in the user's update log (it may not be durable yet), 0 when none. */
    long lastPts(long userId);

    /** Loads, outside any change, what {@link #newId} needs for {@code space}. May read the store. */
    void preload(IdSpace space);

    /** Loads, outside any change, the user's update-log sequencer. May read the store. */
    void preloadUser(long userId);

    /** Loads, outside any change, the conversation's seq sequencer. May read the store. */
    void preloadConversation(long conversationId);

    /**
     * Writes deletions that carry no number and that no reader waits for (expired records, trimmed
     * backlogs) outside the ordered path, so housekeeping never queues behind or ahead of sends.
     * Only deletions of expired dedup records and tickets and of the search backlog are accepted.
     * Callable until the store closes (the search indexer trims its backlog after the last change).
     */
    void housekeeping(List<Mutation> deletions);
}
