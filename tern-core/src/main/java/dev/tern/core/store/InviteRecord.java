package dev.tern.core.store;

/**
 * A group invite link, stored under the SHA-256 of its token (never the token itself), with the
 * group it opens and who made it.
 */
public record InviteRecord(byte[] hash, long conversationId, long creatorId, long createdAtMs) implements Mutation {
    public InviteRecord {
        if (hash.length != 32) {
            throw new IllegalArgumentException("invite hash must be 32 bytes");
        }
        hash = hash.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }
}
