package dev.tern.gateway.wire;

import java.util.function.Function;

/**
 * Remembers, per thread, the last value built and what it was built from, by identity. One push
 * goes to every connection it is for, one after another on the publishing thread: with this, its
 * frame (and the message inside) is built once per push instead of once per connection. Identity,
 * not equality: a core value is never rebuilt for the same push, and comparing would cost more than
 * it saves. Holds one value per thread until the next one replaces it.
 */
final class LastBuilt<K, V> {
    private final ThreadLocal<Object[]> last = ThreadLocal.withInitial(() -> new Object[2]);
    private final Function<K, V> build;

    LastBuilt(Function<K, V> build) {
        this.build = build;
    }

    @SuppressWarnings("unchecked")
    V of(K key) {
        Object[] l = last.get();
        if (l[0] == key) {
            return (V) l[1];
        }
        V v = build.apply(key);
        l[0] = key;
        l[1] = v;
        return v;
    }
}
