package dev.tern.core.auth;

import dev.tern.core.Await;
import dev.tern.core.CoreConfig;
import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.core.Principal;
import dev.tern.core.delivery.Sessions;
import dev.tern.core.delivery.Sink;
import dev.tern.core.ledger.Ledger;
import dev.tern.core.ledger.Prepared;
import dev.tern.core.limits.Limits;
import dev.tern.core.store.DeleteTicket;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.StoreReads;
import dev.tern.core.store.TicketRecord;
import dev.tern.core.store.UserRecord;
import dev.tern.core.view.SessionView;
import dev.tern.core.view.UserRef;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Registration, login (ticket issue), resume (ticket check) and logout (ticket revocation). */
public final class Accounts {
    private static final int MIN_PASSWORD = 8;
    private static final int MAX_PASSWORD = 256;
    private static final int MAX_DEVICE_NAME = 64;

    private final StoreReads store;
    private final Ledger ledger;
    private final Users users;
    private final Sessions sessions;
    private final Limits limits;
    private final PasswordHasher hasher;
    private final InstantSource clock;
    private final CoreConfig config;
    private final SecureRandom random = new SecureRandom();
    private final Set<String> reservedNames = ConcurrentHashMap.newKeySet();
    // Password changes per user since start (only users who changed one have an entry).
    private final ConcurrentHashMap<Long, Long> passwordGenerations = new ConcurrentHashMap<>();
    // Verified against when the user does not exist, so both paths cost one Argon2 run.
    private final String decoyHash;

    public Accounts(StoreReads store, Ledger ledger, Users users, Sessions sessions,
                    Limits limits, InstantSource clock, CoreConfig config) {
        this.limits = limits;
        this.store = store;
        this.ledger = ledger;
        this.users = users;
        this.sessions = sessions;
        this.clock = clock;
        this.config = config;
        this.hasher = new PasswordHasher(config.argon2MemoryKiB(), config.argon2Iterations());
        this.decoyHash = hasher.hash("decoy-password-never-matches");
    }

    /** @param address the client's network address (limits registrations per address) */
    public UserRef register(String rawUsername, String password, String address) {
        String name = Usernames.canonical(rawUsername);
        checkPassword(password);
        limits.register(address); // after validation: a refused invalid request uses no allowance
        if (store.userByName(name).isPresent()) {
            throw taken();
        }
        String hash = hasher.hash(password);
        long now = clock.millis();
        CompletableFuture<UserRecord> done = ledger.submit(Ledger.Scope.ids(Ledger.IdSpace.USER), () -> {
            // Checked again under the lock: a racing registration is either reserved or stored.
            if (reservedNames.contains(name) || store.userByName(name).isPresent()) {
                throw taken();
            }
            List<Mutation> batch = new ArrayList<>(2);
            long id = ledger.newId(Ledger.IdSpace.USER, batch);
            UserRecord user = new UserRecord(id, name, hash, now);
            batch.add(user);
            reservedNames.add(name);
            return Prepared.of(batch, user);
        });
        try {
            UserRecord user = Await.result(done);
            users.remember(user);
            return new UserRef(user.id(), user.username());
        } finally {
            reservedNames.remove(name);
        }
    }

    /** @param address the client's network address (limits login attempts per address) */
    public SessionView login(String rawUsername, String password, String deviceName, String address) {
        String canonical = Usernames.canonicalOrNull(rawUsername);
        limits.login(canonical, address);
        if (password == null || password.length() > MAX_PASSWORD) {
            throw new Failure(ErrorCode.BAD_CREDENTIALS, "unknown username or wrong password");
        }
        String device = deviceName == null ? "" : deviceName;
        if (device.length() > MAX_DEVICE_NAME) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "device_name must be at most 64 characters");
        }
        Optional<UserRecord> user = users.byName(rawUsername);
        long generation = user.map(x -> passwordGenerations.getOrDefault(x.id(), 0L)).orElse(0L);
        boolean ok = hasher.verify(password, user.map(UserRecord::passwordHash).orElse(decoyHash));
        if (user.isEmpty() || !ok) {
            throw new Failure(ErrorCode.BAD_CREDENTIALS, "unknown username or wrong password");
        }
        limits.loginSucceeded(canonical);
        UserRecord u = user.get();
        String ticket = newTicket();
        long now = clock.millis();
        long expires = now + config.ticketTtl().toMillis();
        ledger.preloadUser(u.id());
        CompletableFuture<SessionView> done = ledger.submit(Ledger.Scope.ids(Ledger.IdSpace.DEVICE), () -> {
            // Under the sequencing lock: a password change ordered while this login checked the old
            // password must not leave it a ticket that outlives the change.
            if (passwordGenerations.getOrDefault(u.id(), 0L) != generation) {
                throw new Failure(ErrorCode.BAD_CREDENTIALS, "unknown username or wrong password");
            }
            List<Mutation> batch = new ArrayList<>(2);
            long deviceId = ledger.newId(Ledger.IdSpace.DEVICE, batch);
            batch.add(new TicketRecord(sha256(ticket), u.id(), deviceId, device, now, expires));
            SessionView s = new SessionView(u.id(), u.username(), deviceId, ticket, expires, ledger.lastPts(u.id()));
            return Prepared.of(batch, s);
        });
        return Await.result(done);
    }

    /**
     * Replaces the caller's password. Every ticket of the account created before now is revoked (the
     * user record's ticketsValidFromMs), the caller's device gets a new ticket in the returned session,
     * and every other connection of the account is closed with SESSION_REVOKED.
     */
    public SessionView changePassword(Principal caller, String oldPassword, String newPassword, Sink self) {
        Principal.require(caller);
        UserRecord user = users.byId(caller.userId())
                .orElseThrow(() -> new Failure(ErrorCode.TICKET_INVALID, "unknown or revoked ticket"));
        String canonical = user.username();
        limits.passwordCheck(canonical); // a stolen session must not allow unlimited password guessing
        long generation = passwordGenerations.getOrDefault(user.id(), 0L);
        if (oldPassword == null || oldPassword.length() > MAX_PASSWORD || !hasher.verify(oldPassword, user.passwordHash())) {
            throw new Failure(ErrorCode.BAD_CREDENTIALS, "wrong password");
        }
        limits.loginSucceeded(canonical);
        checkPassword(newPassword);
        String hash = hasher.hash(newPassword);
        String ticket = newTicket();
        long now = clock.millis();
        long expires = now + config.ticketTtl().toMillis();
        ledger.preloadUser(user.id());
        UserRecord changed = new UserRecord(user.id(), user.username(), hash, user.createdAtMs(), now);
        TicketRecord old = store.ticket(caller.ticketHash()).orElse(null);
        String device = old == null ? "" : old.deviceName();
        CompletableFuture<SessionView> done = ledger.submit(Ledger.Scope.user(user.id()), () -> {
            if (passwordGenerations.getOrDefault(user.id(), 0L) != generation) {
                throw new Failure(ErrorCode.BAD_CREDENTIALS, "the password was changed meanwhile");
            }
            // Bumped in the preparer, under the lock: logins and changes ordered after this one see it.
            // If the write fails, the bump only costs a racing login one refusal.
            passwordGenerations.merge(user.id(), 1L, Long::sum);
            List<Mutation> batch = new ArrayList<>(3);
            batch.add(changed);
            batch.add(new DeleteTicket(caller.ticketHash()));
            batch.add(new TicketRecord(sha256(ticket), user.id(), caller.deviceId(), device, now, expires));
            SessionView s = new SessionView(user.id(), user.username(), caller.deviceId(), ticket, expires,
                    ledger.lastPts(user.id()));
            return Prepared.of(batch, s);
        });
        SessionView s = Await.result(done);
        users.remember(changed);
        sessions.closeUser(user.id(), self, ErrorCode.SESSION_REVOKED, "the password was changed");
        return s;
    }

    /** Checks a ticket; returns the principal and the session description (without the ticket). */
    public Resumed resume(String ticket) {
        Checked c = check(ticket);
        TicketRecord t = c.ticket();
        UserRecord u = c.user();
        byte[] hash = c.hash();
        ledger.preloadUser(u.id());
        // The newest pts once everything up to it is durable: a client that starts from it must
        // not skip an entry that is still being written.
        long pts = Await.result(ledger.durableValue(Ledger.Scope.user(u.id()), () -> ledger.lastPts(u.id())));
        Principal p = new Principal(u.id(), u.username(), t.deviceId(), hash);
        SessionView s = new SessionView(u.id(), u.username(), t.deviceId(), "", t.expiresAtMs(), pts);
        return new Resumed(p, s);
    }

    /**
     * The principal of a ticket, for a request outside a session (HTTP media): the checks of
     * {@link #resume} without its session. TICKET_INVALID or TICKET_EXPIRED otherwise.
     */
    public Principal authenticate(String ticket) {
        Checked c = check(ticket);
        return new Principal(c.user().id(), c.user().username(), c.ticket().deviceId(), c.hash());
    }

    private record Checked(TicketRecord ticket, UserRecord user, byte[] hash) {}

    /** A ticket that is known, not expired and not revoked by a password change, with its user. */
    private Checked check(String ticket) {
        if (ticket == null || ticket.isEmpty() || ticket.length() > 128) {
            throw new Failure(ErrorCode.TICKET_INVALID, "unknown or revoked ticket");
        }
        byte[] hash = sha256(ticket);
        TicketRecord t = store.ticket(hash)
                .orElseThrow(() -> new Failure(ErrorCode.TICKET_INVALID, "unknown or revoked ticket"));
        if (t.expiresAtMs() <= clock.millis()) {
            throw new Failure(ErrorCode.TICKET_EXPIRED, "ticket expired; log in again");
        }
        UserRecord u = users.byId(t.userId())
                .filter(user -> t.createdAtMs() >= user.ticketsValidFromMs())
                .orElseThrow(() -> new Failure(ErrorCode.TICKET_INVALID, "unknown or revoked ticket"));
        return new Checked(t, u, hash);
    }

    /** The outcome of a successful resume. */
    public record Resumed(Principal principal, SessionView session) {}

    /** True while the principal's ticket exists and has not expired (re-checked after a resume attaches). */
    public boolean stillValid(Principal p) {
        return store.ticket(p.ticketHash()).filter(t -> t.expiresAtMs() > clock.millis())
                .filter(t -> users.byId(t.userId()).map(u -> t.createdAtMs() >= u.ticketsValidFromMs()).orElse(false))
                .isPresent();
    }

    /** Revokes the caller's ticket and closes every connection that used it except the caller's own. */
    public void logout(Principal caller, Sink self) {
        Principal.require(caller);
        Await.result(ledger.submit(Ledger.Scope.user(caller.userId()), () -> Prepared.of(List.of(new DeleteTicket(caller.ticketHash())), true)));
        sessions.closeDevice(caller.userId(), caller.deviceId(), self, ErrorCode.SESSION_REVOKED,
                "the ticket was revoked");
    }

    /** The principal of a session that {@link #login} just returned on this connection. */
    public Principal principalOf(SessionView s) {
        return new Principal(s.userId(), s.username(), s.deviceId(), sha256(s.ticket()));
    }

    /** 256 random bits, URL-safe; only its SHA-256 is stored. */
    private String newTicket() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            throw new Failure(ErrorCode.PASSWORD_INVALID, "password must be 8-256 characters");
        }
    }

    private static Failure taken() {
        return new Failure(ErrorCode.USERNAME_TAKEN, "username is taken");
    }

    /** The SHA-256 of a token (a ticket, an invite): what is stored in place of the token itself. */
    public static byte[] sha256(String ticket) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
