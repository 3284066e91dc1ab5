package dev.tern.core.people;

import dev.tern.core.Principal;
import dev.tern.core.auth.Users;
import dev.tern.core.ledger.Ledger;
import dev.tern.core.ledger.Prepared;
import dev.tern.core.store.ContactRecord;
import dev.tern.core.store.DeleteContact;
import dev.tern.core.store.PrivacyRecord.Visibility;
import dev.tern.core.store.PrivacyRecord;
import dev.tern.core.store.StoreReads;
import dev.tern.core.view.Committed;
import dev.tern.core.view.PrivacyView;
import dev.tern.core.view.UserRef;

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
    public CompletableFuture<Committed> contact(Principal caller, String username, boolean remove) {
        return contacts.change(caller, username, remove);
    }

    public List<UserRef> contacts(Principal caller) {
        Principal.require(caller);
        return contacts.list(caller.userId());
    }

    /** Changes the settings given (null: unchanged) and answers the settings as they are then. */
    public CompletableFuture<PrivacyView> set(Principal caller, Visibility lastSeen, Visibility readReceipts) {
        Principal.require(caller);
        PrivacyRecord now = settingsOf(caller.userId());
        PrivacyRecord next = new PrivacyRecord(caller.userId(), lastSeen == null ? now.lastSeen() : lastSeen,
                readReceipts == null ? now.readReceipts() : readReceipts);
        return ledger.submit(Ledger.Scope.user(caller.userId()), () -> new Prepared<>(List.of(next), wire(next),
                () -> settings.put(caller.userId(), next)));
    }

    public PrivacyView get(Principal caller) {
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

    private static PrivacyView wire(PrivacyRecord p) {
        return new PrivacyView(p.lastSeen(), p.readReceipts());
    }
}
