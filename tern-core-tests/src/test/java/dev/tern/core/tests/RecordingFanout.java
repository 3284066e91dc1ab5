package dev.tern.core.tests;

import dev.tern.core.ledger.Fanout;
import dev.tern.core.view.Push;
import dev.tern.core.view.Update;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * Stands in for the sessions of a node: every user is online unless a test says otherwise, and each
 * value the kernel pushes is recorded per user together with the device it skipped.
 */
final class RecordingFanout implements Fanout {

    /** One push: the value and the device it was not sent to (0: none). */
    record Pushed(Push push, long exceptDeviceId) {
        /** The update this push carries; fails the test when it is not an update. */
        Update update() {
            if (push instanceof Push.Updated u) {
                return u.update();
            }
            throw new AssertionError("expected an update, the kernel pushed " + push);
        }
    }

    private final Map<Long, List<Pushed>> byUser = new ConcurrentHashMap<>();
    private final Set<Long> offline = ConcurrentHashMap.newKeySet();

    void offline(long userId) {
        offline.add(userId);
    }

    @Override
    public void toUser(long userId, Push push, long exceptDeviceId) {
        if (!offline.contains(userId)) {
            byUser.computeIfAbsent(userId, u -> new CopyOnWriteArrayList<>()).add(new Pushed(push, exceptDeviceId));
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

    /** The updates pushed to {@code userId}, in the order they were pushed (every push must be one). */
    List<Update> updates(long userId) {
        return pushed(userId).stream().map(Pushed::update).toList();
    }

    /** Forgets what was recorded so far (setup pushes). */
    void clear() {
        byUser.clear();
    }
}
