package dev.tern.core.delivery;

import dev.tern.core.ErrorCode;
import dev.tern.core.ledger.Fanout;
import dev.tern.core.view.Push;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The local router: the connected devices of each user on this node. A cluster router will sit
 * behind the same methods.
 */
public final class Sessions implements Fanout {

    /** Told when a user's first connection opens and last one closes. */
    public interface PresenceListener {
        void online(long userId);

        void offline(long userId);
    }

    private final ConcurrentHashMap<Long, CopyOnWriteArrayList<Sink>> byUser = new ConcurrentHashMap<>();
    private volatile PresenceListener listener = new PresenceListener() {
        @Override
        public void online(long userId) { }

        @Override
        public void offline(long userId) { }
    };

    public void setPresenceListener(PresenceListener listener) {
        this.listener = listener;
    }

    public void add(Sink sink) {
        boolean[] first = {false};
        byUser.compute(sink.userId(), (id, list) -> {
            if (list == null) {
                list = new CopyOnWriteArrayList<>();
                first[0] = true;
            }
            list.add(sink);
            return list;
        });
        if (first[0]) {
            listener.online(sink.userId());
        }
    }

    /** Removes a connection registered under {@code userId}. */
    public void remove(long userId, Sink sink) {
        boolean[] last = {false};
        byUser.computeIfPresent(userId, (id, list) -> {
            list.remove(sink);
            if (list.isEmpty()) {
                last[0] = true;
                return null;
            }
            return list;
        });
        if (last[0]) {
            listener.offline(userId);
        }
    }

    public boolean online(long userId) {
        return byUser.containsKey(userId);
    }

    /** Pushes to every connected device of the user except {@code exceptDeviceId} (0: none excepted). */
    @Override
    public void toUser(long userId, Push push, long exceptDeviceId) {
        List<Sink> sinks = byUser.get(userId);
        if (sinks == null) {
            return;
        }
        for (Sink s : sinks) {
            if (s.deviceId() != exceptDeviceId) {
                s.push(push);
            }
        }
    }

    /** Closes every connection of one device but {@code except}, e.g. after its ticket was revoked. */
    public void closeDevice(long userId, long deviceId, Sink except, ErrorCode reason, String message) {
        List<Sink> sinks = byUser.get(userId);
        if (sinks == null) {
            return;
        }
        for (Sink s : sinks) {
            if (s.deviceId() == deviceId && s != except) {
                s.close(reason, message);
            }
        }
    }

    /** Closes every connection of the user except {@code except} (a password change). */
    public void closeUser(long userId, Sink except, ErrorCode reason, String message) {
        List<Sink> sinks = byUser.get(userId);
        if (sinks == null) {
            return;
        }
        for (Sink s : sinks) {
            if (s != except) {
                s.close(reason, message);
            }
        }
    }

    /** Closes every connection (shutdown). */
    public void closeAll(ErrorCode reason, String message) {
        for (List<Sink> sinks : byUser.values()) {
            for (Sink s : sinks) {
                s.close(reason, message);
            }
        }
    }

    /**
     * Calls {@code each} for every user who is in {@code members} and online on this node, walking
     * whichever side is smaller: the online users of a node are usually far fewer than the subscribers
     * of a big channel, and the members of a small group far fewer than the online users.
     */
    @Override
    public void forEachOnline(java.util.Map<Long, ?> members, java.util.function.LongConsumer each) {
        if (byUser.size() < members.size()) {
            for (long u : byUser.keySet()) {
                if (members.containsKey(u)) {
                    each.accept(u);
                }
            }
        } else {
            for (long u : members.keySet()) {
                if (byUser.containsKey(u)) {
                    each.accept(u);
                }
            }
        }
    }

    public int connectionCount() {
        return byUser.values().stream().mapToInt(List::size).sum();
    }
}
