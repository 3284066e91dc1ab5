package dev.tern.core.tests;

import dev.tern.core.ledger.WriteTap;
import dev.tern.core.store.Mutation;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A write tap that can hold the committer just before a store write, so a test can queue changes
 * behind a write in progress (or fail the store under it) deterministically, without sleeps.
 */
final class Gate implements WriteTap {
    private volatile CountDownLatch open = new CountDownLatch(0);
    private volatile CountDownLatch reached = new CountDownLatch(1);

    /** The next write waits in {@link #beforeWrite} until {@link #open} is called. */
    void close() {
        reached = new CountDownLatch(1);
        open = new CountDownLatch(1);
    }

    void open() {
        open.countDown();
    }

    /** Waits until the committer is held at the gate. */
    void awaitHeld() throws InterruptedException {
        if (!reached.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the committer never reached the gate");
        }
    }

    @Override
    public void beforeWrite(List<Mutation> batch) {
        reached.countDown();
        try {
            if (!open.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate left closed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void written() {
    }
}
