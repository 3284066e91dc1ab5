package dev.tern.core.store;

/**
 * A login ticket, stored under the SHA-256 of the ticket (never the ticket itself), together with the
 * device it was issued to.
 */
public record TicketRecord(byte[] hash, long userId, long deviceId, String deviceName, long createdAtMs,
                           long expiresAtMs) implements Mutation {
    public TicketRecord {
        if (hash.length != 32) {
            throw new IllegalArgumentException("ticket hash must be 32 bytes");
        }
        hash = hash.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }
}
