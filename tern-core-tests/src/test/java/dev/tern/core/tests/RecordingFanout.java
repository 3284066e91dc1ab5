package dev.tern.core.tests;

import dev.tern.core.ledger.Fanout;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.protocol.v1.Update;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * Stands in for the sessions of a node: every user is online unless a test says otherwise, and each
 * frame the kernel pushes is recorded per user together with the device it skipped.
 */
final class RecordingFanout implements Fanout {

    /** One push: the frame and the device it was not sent to (0: none). */
    record Pushed(ServerFrame frame, long exceptDeviceId) {}

    private final Map<Long, List<Pushed>> byUser = new ConcurrentHashMap<>();
    private final Set<Long> offline = ConcurrentHashMap.newKeySet();

    void offline(long userId) {
        offline.add(userId);
    }

    @Override
    public void toUser(long userId, ServerFrame frame, long exceptDeviceId) {
        if (!offline.contains(userId)) {
            byUser.computeIfAbsent(userId, u -> new CopyOnWriteArrayList<>()).add(new Pushed(frame, exceptDeviceId));
        }
    }

    @Override
    public void forEachOnline(Map<Long, ?> members, LongConsumer each) {
        for (long u : members.keySet()) {
            if (!offline.contains(u)) {
                each.accept(u);
            }
        }
    }

    List<Pushed> pushed(long userId) {
        return List.copyOf(byUser.getOrDefault(userId, List.of()));
    }

    /** The updates pushed to {@code userId}, in the order they were pushed. */
    List<Update> updates(long userId) {
        return pushed(userId).stream().map(p -> p.frame().getUpdate().getUpdate()).toList();
    }

    /** Forgets what was recorded so far (setup pushes). */
    void clear() {
        byUser.clear();
    }
}
