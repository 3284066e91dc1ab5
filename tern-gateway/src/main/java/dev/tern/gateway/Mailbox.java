package dev.tern.gateway;

import dev.tern.protocol.v1.ClientFrame;

import java.util.ArrayDeque;

/**
 * A connection's inbound mailbox: its requests in arrival order, handled one at a time. The event
 * loop adds; one virtual thread at a time ("tern-conn", started when the mailbox fills from empty)
 * takes them in order and hands each to the {@link Owner}, so a request never overtakes an earlier
 * one of the same connection and a blocking request blocks only its own connection.
 *
 * <p>Back-pressure: at {@code maxInflight} waiting requests the owner is told to stop reading the
 * socket (TCP then holds the client back), and to read again once half of them are done.
 *
 * <p>Threads: {@link #add} on the event loop; the drain on its virtual thread; the queries from any
 * thread. This object's monitor is held only to add or take a request, never while one is handled.
 * Per-connection memory matters at a million sessions: the queue starts with room for two.
 */
final class Mailbox {
    /** What the mailbox serves. */
    interface Owner {
        /** Handles one request on the mailbox's thread; it waited {@code waitedNanos} in the mailbox. */
        void handle(ClientFrame frame, long waitedNanos, boolean limitsCharged);

        /** The mailbox filled up ({@code true}) or drained to half ({@code false}); any thread. */
        void backPressure(boolean full);
    }

    /** A request and when it arrived (its wait counts against its deadline). */
    private record Queued(ClientFrame frame, long at, boolean limitsCharged) {}

    private final ArrayDeque<Queued> queue = new ArrayDeque<>(2);
    private final int maxInflight;
    private final Owner owner;
    private boolean draining; // a thread is taking requests (or handling one)
    private boolean full;     // back-pressure is on

    Mailbox(int maxInflight, Owner owner) {
        this.maxInflight = maxInflight;
        this.owner = owner;
    }

    /**
     * Queues a request; {@code limitsCharged} when the event loop already counted it against the
     * rate limits (a send it tried to order itself).
     */
    void add(ClientFrame frame, boolean limitsCharged) {
        boolean start;
        boolean nowFull = false;
        synchronized (this) {
            queue.add(new Queued(frame, System.nanoTime(), limitsCharged));
            if (queue.size() >= maxInflight && !full) {
                full = nowFull = true;
            }
            start = !draining;
            draining = true;
        }
        if (nowFull) {
            owner.backPressure(true);
        }
        if (start) {
            Thread.ofVirtual().name("tern-conn").start(this::drain);
        }
    }

    private void drain() {
        while (true) {
            Queued next;
            boolean relieved = false;
            synchronized (this) {
                next = queue.poll();
                if (next == null) {
                    draining = false;
                    return;
                }
                if (full && queue.size() <= maxInflight / 2) {
                    full = false;
                    relieved = true;
                }
            }
            if (relieved) {
                owner.backPressure(false);
            }
            owner.handle(next.frame(), System.nanoTime() - next.at(), next.limitsCharged());
        }
    }

    /**
     * True when no request is queued or being handled: a send handled right on the event loop then
     * cannot overtake an earlier request.
     */
    synchronized boolean idle() {
        return !draining && queue.isEmpty();
    }

    /** True when no request is being handled or waits to be (queued ones are taken on the way). */
    synchronized boolean done() {
        return !draining;
    }

    /** True while back-pressure is on. */
    synchronized boolean full() {
        return full;
    }
}
