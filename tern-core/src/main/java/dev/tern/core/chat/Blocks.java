package dev.tern.core.chat;

import dev.tern.core.Failure;
import dev.tern.core.auth.Principal;
import dev.tern.core.auth.Users;
import dev.tern.core.commit.CommitPipeline;
import dev.tern.core.commit.Prepared;
import dev.tern.core.store.BlockRecord;
import dev.tern.core.store.DeleteBlock;
import dev.tern.core.store.Store;
import dev.tern.core.store.UserRecord;
import dev.tern.protocol.v1.BlockedResult;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Ok;
import dev.tern.protocol.v1.UserRef;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who blocks whom. A blocked user's sends to the blocker's direct chat are refused (BLOCKED), and
 * presence and typing are hidden both ways. Each blocker's set is loaded from the store on first
 * use and then kept in memory, updated once a change is durable.
 */
public final class Blocks {
    static final int MAX_BLOCKED = 10_000;

    private final Store store;
    private final CommitPipeline pipeline;
    private final Users users;
    private final Map<Long, Set<Long>> byBlocker = new ConcurrentHashMap<>();

    public Blocks(Store store, CommitPipeline pipeline, Users users) {
        this.store = store;
        this.pipeline = pipeline;
        this.users = users;
    }

    /** Blocks (or with {@code unblock} unblocks) the user named {@code username}. */
    public CompletableFuture<Ok> block(Principal caller, String username, boolean unblock) {
        Principal.require(caller);
        UserRecord target = users.byName(username).orElseThrow(() -> new Failure(ErrorCode.USER_NOT_FOUND, "no such user"));
        if (target.id() == caller.userId()) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "you cannot block yourself");
        }
        Set<Long> mine = of(caller.userId());
        if (!unblock && !mine.contains(target.id()) && mine.size() >= MAX_BLOCKED) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "at most " + MAX_BLOCKED + " blocked users");
        }
        Ok ok = Ok.getDefaultInstance();
        return pipeline.submit(() -> unblock
                ? new Prepared<>(List.of(new DeleteBlock(caller.userId(), target.id())), ok, () -> mine.remove(target.id()))
                : new Prepared<>(List.of(new BlockRecord(caller.userId(), target.id())), ok, () -> mine.add(target.id())));
    }

    /** The users the caller blocks. */
    public BlockedResult blocked(Principal caller) {
        Principal.require(caller);
        BlockedResult.Builder out = BlockedResult.newBuilder();
        of(caller.userId()).stream().sorted().forEach(id ->
                out.addUsers(UserRef.newBuilder().setUserId(id).setUsername(users.nameOf(id))));
        return out.build();
    }

    /** True when {@code blocker} blocks {@code other}; may read the store the first time a blocker is asked about. */
    public boolean blocks(long blocker, long other) {
        return of(blocker).contains(other);
    }

    /** True when either blocks the other. */
    public boolean eitherBlocks(long a, long b) {
        return blocks(a, b) || blocks(b, a);
    }

    /** True when {@code blocker}'s set is in memory, so {@link #blocks} reads nothing (event loops). */
    public boolean isLoaded(long blocker) {
        return byBlocker.containsKey(blocker);
    }

    private Set<Long> of(long blocker) {
        return byBlocker.computeIfAbsent(blocker, b -> {
            Set<Long> set = ConcurrentHashMap.newKeySet();
            set.addAll(store.blockedBy(b));
            return set;
        });
    }
}
