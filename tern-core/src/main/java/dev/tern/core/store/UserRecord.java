package dev.tern.core.store;

/**
 * An account. {@code username} is canonical (lower case); {@code passwordHash} is a PHC-style Argon2id
 * string. Tickets created before {@code ticketsValidFromMs} are revoked: a password change sets it,
 * which signs out every device at once without an index of tickets by user.
 */
public record UserRecord(long id, String username, String passwordHash, long createdAtMs, long ticketsValidFromMs)
        implements Mutation {

    public UserRecord(long id, String username, String passwordHash, long createdAtMs) {
        this(id, username, passwordHash, createdAtMs, 0);
    }
}
