package dev.tern.core.ledger;

import dev.tern.core.store.Mutation;

import java.util.List;

/**
 * Sees each group commit on the committer thread. {@code beforeWrite} may append mutations of its
 * own to the batch, which are then written in the same atomic write (or not at all);
 * {@code written} follows only once that write is durable. Both run on the send path: they must
 * be cheap, must not block, and must not throw (a throwing {@code beforeWrite} fails the batch).
 */
public interface WriteTap {
    WriteTap NONE = new WriteTap() {
        @Override
        public void beforeWrite(List<Mutation> batch) {
        }

        @Override
        public void written() {
        }
    };

    void beforeWrite(List<Mutation> batch);

    void written();
}
