package dev.tern.gateway;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open connections per remote address, capped. An address with no open connection has no entry,
 * so memory follows the connected addresses. Behind a proxy or load balancer every client shares
 * the proxy's address: raise the cap or turn it off (0) there.
 */
final class AddressLimit {
    private final int max;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

    /** @param max connections allowed per address; 0 means no limit */
    AddressLimit(int max) {
        this.max = max;
    }

    /** Counts a new connection; false (nothing counted) when the address is at its cap. */
    boolean tryOpen(InetAddress address) {
        if (max == 0) {
            return true;
        }
        boolean[] admitted = new boolean[1];
        open.compute(address, (a, n) -> {
            int count = n == null ? 0 : n;
            if (count >= max) {
                return n;
            }
            admitted[0] = true;
            return count + 1;
        });
        return admitted[0];
    }

    /** Forgets a connection that {@link #tryOpen} counted. */
    void closed(InetAddress address) {
        if (max != 0) {
            open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** The remote address of a channel; null when it has none (an embedded channel in tests). */
    static InetAddress of(io.netty.channel.Channel ch) {
        return ch.remoteAddress() instanceof java.net.InetSocketAddress s ? s.getAddress() : null;
    }

    int max() {
        return max;
    }
}
