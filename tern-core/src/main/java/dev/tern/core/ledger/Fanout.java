package dev.tern.core.ledger;

import dev.tern.core.view.Push;

import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Where the kernel publishes what became durable: the devices that are online. Implemented by the
 * delivery layer (this node's sessions; a cluster adds the other nodes). Called on the publisher and
 * broadcast threads, in commit order; implementations must not block.
 */
public interface Fanout {

    /** Queues {@code push} for every online device of the user except {@code exceptDeviceId} (0: none). */
    void toUser(long userId, Push push, long exceptDeviceId);

    /** Calls {@code each} for every user of {@code members} who is online (walks the smaller side). */
    void forEachOnline(Map<Long, ?> members, LongConsumer each);
}
