package dev.tern.core.store;

/** Revokes a ticket by its hash. */
public record DeleteTicket(byte[] hash) implements Mutation {
    public DeleteTicket {
        hash = hash.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }
}
