package dev.tern.core.store;

/** An account. {@code username} is canonical (lower case); {@code passwordHash} is a PHC-style Argon2id string. */
public record UserRecord(long id, String username, String passwordHash, long createdAtMs) implements Mutation {}
