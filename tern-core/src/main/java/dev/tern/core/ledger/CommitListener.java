package dev.tern.core.ledger;

/** Observes every store write (for metrics); the listener must be cheap and must not throw. */
public interface CommitListener {
    void committed(int batches, int mutations, long writeNanos);
}
