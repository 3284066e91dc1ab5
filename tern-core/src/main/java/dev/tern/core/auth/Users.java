package dev.tern.core.auth;

import dev.tern.core.store.StoreReads;
import dev.tern.core.store.UserRecord;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Read-through cache of accounts. Usernames never change in protocol v1, so a found account can be
 * cached for good; misses are not cached (the name may be registered a moment later).
 */
public final class Users {
    private final StoreReads store;
    private final ConcurrentHashMap<Long, UserRecord> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, UserRecord> byName = new ConcurrentHashMap<>();

    public Users(StoreReads store) {
        this.store = store;
    }

    public Optional<UserRecord> byId(long id) {
        UserRecord u = byId.get(id);
        if (u != null) {
            return Optional.of(u);
        }
        Optional<UserRecord> found = store.user(id);
        found.ifPresent(this::rememberLoaded);
        return found;
    }

    /** @param raw a username as a client typed it; invalid names are simply not found */
    public Optional<UserRecord> byName(String raw) {
        String name = Usernames.canonicalOrNull(raw);
        if (name == null) {
            return Optional.empty();
        }
        UserRecord u = byName.get(name);
        if (u != null) {
            return Optional.of(u);
        }
        Optional<UserRecord> found = store.userByName(name);
        found.ifPresent(this::rememberLoaded);
        return found;
    }

    /** The username of an account, or "" if it does not exist. */
    public String nameOf(long id) {
        return byId(id).map(UserRecord::username).orElse("");
    }

    /**
     * A record read from the store: it must not replace one remembered meanwhile, which may be newer
     * (a password change written while this read was in flight).
     */
    private void rememberLoaded(UserRecord u) {
        byId.putIfAbsent(u.id(), u);
        byName.putIfAbsent(u.username(), u);
    }

    /** A record just written: it replaces what is remembered. */
    void remember(UserRecord u) {
        byId.put(u.id(), u);
        byName.put(u.username(), u);
    }
}
