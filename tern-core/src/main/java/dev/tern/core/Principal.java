package dev.tern.core;

import java.util.Arrays;

/**
 * The authenticated caller: a user on one device, holding one ticket. Every core operation on
 * conversations takes one. The ticket hash (not the ticket) identifies the session for logout.
 */
public record Principal(long userId, String username, long deviceId, byte[] ticketHash) {
    public Principal {
        ticketHash = ticketHash.clone();
    }

    /**
     * Every core operation on user data starts here: without a principal there is no access, whatever
     * the caller (a gateway bug, a new transport) forgot to check.
     */
    public static Principal require(Principal p) {
        if (p == null) {
            throw new dev.tern.core.Failure(dev.tern.core.ErrorCode.NOT_AUTHENTICATED, "log in or resume first");
        }
        return p;
    }

    @Override
    public byte[] ticketHash() {
        return ticketHash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Principal p && p.userId == userId && p.deviceId == deviceId
                && Arrays.equals(p.ticketHash, ticketHash);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(deviceId) * 31 + Long.hashCode(userId);
    }

    @Override
    public String toString() {
        return "Principal[user=" + userId + "/" + username + ", device=" + deviceId + "]";
    }
}
