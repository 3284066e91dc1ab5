package dev.tern.core.store;

/** Revokes the invite stored under {@code hash}. */
public record DeleteInvite(byte[] hash) implements Mutation {
    public DeleteInvite {
        hash = hash.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }
}
