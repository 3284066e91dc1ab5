package dev.tern.core.ledger;

import dev.tern.core.store.DedupRecord;
import dev.tern.core.store.DeleteDedup;
import dev.tern.core.store.DeleteTicket;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.StoreReads;
import dev.tern.core.store.TicketRecord;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Deletes what has expired: dedup records older than the retry window and tickets past their
 * expiry. Each sweep reads the store's time indexes from the oldest entry on and deletes in pages,
 * so it costs in proportion to what expired, never to what is stored. A run stops after
 * {@code maxPerRun} records of a kind and the next run goes on, so a backlog (a first sweep after
 * an upgrade) never holds the disk for long.
 *
 * <p>Races: a dedup record is recognised only within the window anyway ({@link Dedup#prior}), so
 * deleting an expired one changes no answer. The deletion is by key, not conditional: if the same
 * device reuses the same client id after the window, and that new request is written between the
 * sweep's read and its delete, the new request's record goes too and a retry of it would be taken
 * for a new request. Reusing an id is what the protocol forbids, and the window is days, so this is
 * accepted rather than paid for with a read on every send. A ticket past its expiry is refused at
 * resume before it is swept.
 */
public final class Sweeper {
    private static final int PAGE = 1000;

    private final StoreReads store;
    private final Ledger ledger;
    private final Dedup dedup;
    private final InstantSource clock;
    private final int maxPerRun;
    private final LongAdder dedupsSwept = new LongAdder();
    private final LongAdder ticketsSwept = new LongAdder();

    /** @param dedup whose window decides which dedup records have expired */
    public Sweeper(StoreReads store, Ledger ledger, Dedup dedup, InstantSource clock, int maxPerRun) {
        if (maxPerRun < 1) {
            throw new IllegalArgumentException("maxPerRun must be positive");
        }
        this.store = store;
        this.ledger = ledger;
        this.dedup = dedup;
        this.clock = clock;
        this.maxPerRun = maxPerRun;
    }

    /** Deletes dedup records older than the window; returns how many. */
    public int sweepDedups() {
        long horizon = dedup.horizon();
        int n = sweep(limit -> store.dedupsBefore(horizon, limit),
                (DedupRecord d) -> new DeleteDedup(d.deviceId(), d.clientMsgId()));
        dedupsSwept.add(n);
        return n;
    }

    /** Deletes tickets whose expiry has passed; returns how many. */
    public int sweepTickets() {
        long now = clock.millis();
        int n = sweep(limit -> store.ticketsExpiredBefore(now, limit), (TicketRecord t) -> new DeleteTicket(t.hash()));
        ticketsSwept.add(n);
        return n;
    }

    /** Dedup records deleted since start. */
    public long dedupsSwept() {
        return dedupsSwept.sum();
    }

    /** Tickets deleted since start. */
    public long ticketsSwept() {
        return ticketsSwept.sum();
    }

    private <R> int sweep(Function<Integer, List<R>> page, Function<R, Mutation> delete) {
        int done = 0;
        while (done < maxPerRun) {
            List<R> expired = page.apply(Math.min(PAGE, maxPerRun - done));
            if (expired.isEmpty()) {
                break;
            }
            List<Mutation> deletions = new ArrayList<>(expired.size());
            for (R r : expired) {
                deletions.add(delete.apply(r));
            }
            ledger.housekeeping(deletions);
            done += expired.size();
        }
        return done;
    }
}
