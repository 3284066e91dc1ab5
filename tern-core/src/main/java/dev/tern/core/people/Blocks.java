package dev.tern.core.people;

import dev.tern.core.Principal;
import dev.tern.core.auth.Users;
import dev.tern.core.ledger.Ledger;
import dev.tern.core.store.BlockRecord;
import dev.tern.core.store.DeleteBlock;
import dev.tern.core.store.StoreReads;
import dev.tern.core.view.Committed;
import dev.tern.core.view.UserRef;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Who blocks whom. A blocked user's sends to the blocker's direct chat are refused (BLOCKED), and
 * presence and typing are hidden both ways. Each blocker's set is loaded from the store on first
 * use and then kept in memory, updated once a change is durable.
 */
public final class Blocks {
    static final int MAX_BLOCKED = 10_000;

    private final UserLists lists;

    public Blocks(StoreReads store, Ledger ledger, Users users) {
        this.lists = new UserLists(ledger, users, store::blockedBy, MAX_BLOCKED, "blocked users",
                "you cannot block yourself", BlockRecord::new, DeleteBlock::new);
    }

    /** Blocks (or with {@code unblock} unblocks) the user named {@code username}. */
    public CompletableFuture<Committed> block(Principal caller, String username, boolean unblock) {
        return lists.change(caller, username, unblock);
    }

    /** The users the caller blocks. */
    public List<UserRef> blocked(Principal caller) {
        Principal.require(caller);
        return lists.list(caller.userId());
    }

    /** True when {@code blocker} blocks {@code other}; may read the store the first time a blocker is asked about. */
    public boolean blocks(long blocker, long other) {
        return lists.of(blocker).contains(other);
    }

    /** True when either blocks the other. */
    public boolean eitherBlocks(long a, long b) {
        return blocks(a, b) || blocks(b, a);
    }

    /** True when {@code blocker}'s set is in memory, so {@link #blocks} reads nothing (event loops). */
    public boolean isLoaded(long blocker) {
        return lists.isLoaded(blocker);
    }
}
