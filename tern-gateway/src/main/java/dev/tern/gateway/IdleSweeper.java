package dev.tern.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Auth and idle timeouts without a timer per connection: each event loop sweeps the connections it
 * owns once a second (a one-slot timer wheel). The cost is one scheduled task per event loop and two
 * longs per connection, whatever the number of connections, so it holds at a million sessions.
 */
final class IdleSweeper {
    private static final long PERIOD_MS = 1000;

    private final Map<EventLoop, Set<Connection>> byLoop = new ConcurrentHashMap<>();

    /** Starts tracking a connection on its event loop. */
    void track(EventLoop loop, Connection c) {
        byLoop.computeIfAbsent(loop, l -> {
            Set<Connection> set = ConcurrentHashMap.newKeySet();
            l.scheduleAtFixedRate(() -> sweep(set), PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
            return set;
        }).add(c);
    }

    void untrack(EventLoop loop, Connection c) {
        Set<Connection> set = byLoop.get(loop);
        if (set != null) {
            set.remove(c);
        }
    }

    /** Every connection tracked now (WebSocket and plain HTTP), for the shutdown's goodbyes. */
    java.util.List<Connection> all() {
        java.util.List<Connection> all = new java.util.ArrayList<>();
        byLoop.values().forEach(all::addAll);
        return all;
    }

    private static void sweep(Set<Connection> set) {
        long now = System.nanoTime();
        for (Connection c : set) {
            c.checkTimeouts(now);
        }
    }

    /** First in the pipeline: every inbound read, WebSocket pings included, counts as activity. */
    static final class Activity extends ChannelInboundHandlerAdapter {
        private final Connection connection;

        Activity(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            connection.touched(System.nanoTime());
            ctx.fireChannelRead(msg);
        }
    }
}
