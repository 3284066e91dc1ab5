package dev.tern.core.people;

import dev.tern.core.Principal;
import dev.tern.core.auth.Users;
import dev.tern.core.ledger.Ledger;
import dev.tern.core.ledger.Prepared;
import dev.tern.core.store.ContactRecord;
import dev.tern.core.store.DeleteContact;
import dev.tern.core.store.PrivacyRecord;
import dev.tern.core.store.PrivacyRecord.Visibility;
import dev.tern.core.store.StoreReads;
import dev.tern.protocol.v1.ContactsResult;
import dev.tern.protocol.v1.Ok;
import dev.tern.protocol.v1.SetPrivacy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Contact lists and the privacy settings that may name them: who sees a user's last seen time and
 * online state, and who gets their read markers. Both are loaded per user on first use and kept in
 * memory, updated once a change is durable.
 */
public final class Privacy {
    static final int MAX_CONTACTS = 10_000;

    private final StoreReads store;
    private final Ledger ledger;
    private final UserLists contacts;
    private final Map<Long, PrivacyRecord> settings = new ConcurrentHashMap<>();

    public Privacy(StoreReads store, Ledger ledger, Users users) {
        this.store = store;
        this.ledger = ledger;
        this.contacts = new UserLists(ledger, users, store::contactsOf, MAX_CONTACTS, "contacts",
                "you are not your own contact", ContactRecord::new, DeleteContact::new);
    }

    /** Adds (or with {@code remove} removes) a user to the caller's contact list. */
    public CompletableFuture<Ok> contact(Principal caller, String username, boolean remove) {
        return contacts.change(caller, username, remove);
    }

    public ContactsResult contacts(Principal caller) {
        Principal.require(caller);
        return ContactsResult.newBuilder().addAllUsers(contacts.list(caller.userId())).build();
    }

    /** Changes what {@code req} sets and answers the settings as they are then. */
    public CompletableFuture<dev.tern.protocol.v1.Privacy> set(Principal caller, SetPrivacy req) {
        Principal.require(caller);
        PrivacyRecord now = settingsOf(caller.userId());
        PrivacyRecord next = new PrivacyRecord(caller.userId(), merge(req.getLastSeen(), now.lastSeen()),
                merge(req.getReadReceipts(), now.readReceipts()));
        return ledger.submit(Ledger.Scope.user(caller.userId()), () -> new Prepared<>(List.of(next), wire(next),
                () -> settings.put(caller.userId(), next)));
    }

    public dev.tern.protocol.v1.Privacy get(Principal caller) {
        Principal.require(caller);
        return wire(settingsOf(caller.userId()));
    }

    /** True when {@code viewer} may see {@code owner}'s last seen time and online state. */
    public boolean lastSeenVisible(long owner, long viewer) {
        return owner == viewer || allows(settingsOf(owner).lastSeen(), owner, viewer);
    }

    /** True when {@code viewer} gets {@code reader}'s read markers. */
    public boolean readReceiptsVisible(long reader, long viewer) {
        return reader == viewer || allows(settingsOf(reader).readReceipts(), reader, viewer);
    }

    /** Loads a user's settings and contacts, so the checks above read nothing (under the ordering lock). */
    public void load(long userId) {
        settingsOf(userId);
        contacts.of(userId);
    }

    private boolean allows(Visibility v, long owner, long viewer) {
        return switch (v) {
            case EVERYONE -> true;
            case CONTACTS -> contacts.of(owner).contains(viewer);
            case NOBODY -> false;
        };
    }

    private PrivacyRecord settingsOf(long userId) {
        return settings.computeIfAbsent(userId, u -> store.privacy(u).orElse(PrivacyRecord.defaults(u)));
    }

    private static Visibility merge(dev.tern.protocol.v1.Visibility asked, Visibility current) {
        return switch (asked) {
            case EVERYONE -> Visibility.EVERYONE;
            case CONTACTS -> Visibility.CONTACTS;
            case NOBODY -> Visibility.NOBODY;
            default -> current; // unspecified: unchanged
        };
    }

    private static dev.tern.protocol.v1.Privacy wire(PrivacyRecord p) {
        return dev.tern.protocol.v1.Privacy.newBuilder().setLastSeen(wire(p.lastSeen()))
                .setReadReceipts(wire(p.readReceipts())).build();
    }

    private static dev.tern.protocol.v1.Visibility wire(Visibility v) {
        return switch (v) {
            case EVERYONE -> dev.tern.protocol.v1.Visibility.EVERYONE;
            case CONTACTS -> dev.tern.protocol.v1.Visibility.CONTACTS;
            case NOBODY -> dev.tern.protocol.v1.Visibility.NOBODY;
        };
    }
}
