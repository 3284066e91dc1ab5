package dev.tern.core.people;

import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.core.Principal;
import dev.tern.core.auth.Users;
import dev.tern.core.ledger.Ledger;
import dev.tern.core.ledger.Prepared;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.UserRecord;
import dev.tern.core.view.Committed;
import dev.tern.core.view.UserRef;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

/**
 * A list of users per owner (whom they block, their contacts): loaded from the store on first use
 * and kept in memory, changed there once the change is durable.
 */
final class UserLists {
    /** The mutation that adds or removes {@code other} from {@code owner}'s list. */
    interface Change {
        Mutation of(long owner, long other);
    }

    private final Ledger ledger;
    private final Users users;
    private final LongFunction<List<Long>> load;
    private final int max;
    private final String noun;
    private final String self;
    private final Change add;
    private final Change remove;
    private final Map<Long, Set<Long>> byOwner = new ConcurrentHashMap<>();

    /**
     * @param noun what the entries are called in refusals, e.g. "blocked users"
     * @param self the refusal of an owner naming themselves
     */
    UserLists(Ledger ledger, Users users, LongFunction<List<Long>> load, int max, String noun, String self,
              Change add, Change remove) {
        this.ledger = ledger;
        this.users = users;
        this.load = load;
        this.max = max;
        this.noun = noun;
        this.self = self;
        this.add = add;
        this.remove = remove;
    }

    /** Adds (or with {@code drop} removes) the user named {@code username}; a no-op change is answered the same. */
    CompletableFuture<Committed> change(Principal caller, String username, boolean drop) {
        Principal.require(caller);
        UserRecord target = users.byName(username).orElseThrow(() -> new Failure(ErrorCode.USER_NOT_FOUND, "no such user"));
        if (target.id() == caller.userId()) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, self);
        }
        Set<Long> mine = of(caller.userId());
        if (!drop && !mine.contains(target.id()) && mine.size() >= max) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "at most " + max + " " + noun);
        }
        Committed ok = Committed.NONE;
        return ledger.submit(Ledger.Scope.user(caller.userId()), () -> drop
                ? new Prepared<>(List.of(remove.of(caller.userId(), target.id())), ok, () -> mine.remove(target.id()))
                : new Prepared<>(List.of(add.of(caller.userId(), target.id())), ok, () -> mine.add(target.id())));
    }

    /** The owner's list as user references, in id order. */
    List<UserRef> list(long owner) {
        return of(owner).stream().sorted()
                .map(id -> new UserRef(id, users.nameOf(id))).toList();
    }

    /** The owner's set; may read the store the first time. */
    Set<Long> of(long owner) {
        return byOwner.computeIfAbsent(owner, o -> {
            Set<Long> set = ConcurrentHashMap.newKeySet();
            set.addAll(load.apply(o));
            return set;
        });
    }

    boolean isLoaded(long owner) {
        return byOwner.containsKey(owner);
    }
}
