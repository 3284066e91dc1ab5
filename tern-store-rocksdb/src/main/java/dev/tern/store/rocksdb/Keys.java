package dev.tern.store.rocksdb;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Key encoding. Every numeric key component is a fixed-width 8-byte big-endian long, so RocksDB's
 * bytewise comparator orders keys exactly like the numbers (for the non-negative ids, seqs and pts
 * the core issues), and a fixed-width prefix never matches a neighbouring id: user 1's keys are not a
 * prefix of user 256's. Variable-length parts (names, client message ids) only ever come last.
 */
final class Keys {

    static final int LONG = Long.BYTES;

    private Keys() {
    }

    static byte[] id(long a) {
        byte[] k = new byte[LONG];
        putLong(k, 0, a);
        return k;
    }

    static byte[] pair(long a, long b) {
        byte[] k = new byte[2 * LONG];
        putLong(k, 0, a);
        putLong(k, LONG, b);
        return k;
    }

    static byte[] triple(long a, long b, long c) {
        byte[] k = new byte[3 * LONG];
        putLong(k, 0, a);
        putLong(k, LONG, b);
        putLong(k, 2 * LONG, c);
        return k;
    }

    /** {@code a} followed by the UTF-8 of {@code s}; the fixed-width head makes the split unambiguous. */
    static byte[] idAndString(long a, String s) {
        byte[] tail = utf8(s);
        byte[] k = Arrays.copyOf(id(a), LONG + tail.length);
        System.arraycopy(tail, 0, k, LONG, tail.length);
        return k;
    }

    /**
     * A time with its sign bit flipped, then {@code rest}: bytewise order is then signed numeric order
     * of the times (negative ones first), so a scan from the empty key up to {@code time(t)} is
     * exactly "before t" for every long.
     */
    static byte[] timeAnd(long ms, byte[] rest) {
        byte[] k = Arrays.copyOf(id(ms ^ Long.MIN_VALUE), LONG + rest.length);
        System.arraycopy(rest, 0, k, LONG, rest.length);
        return k;
    }

    /** The time at the head of a {@link #timeAnd} key. */
    static long timeAt(byte[] key) {
        return longAt(key, 0) ^ Long.MIN_VALUE;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static long longAt(byte[] key, int offset) {
        long v = 0;
        for (int i = 0; i < LONG; i++) {
            v = (v << 8) | (key[offset + i] & 0xFF);
        }
        return v;
    }

    /**
     * The smallest key greater than every key that starts with {@code prefix}, for use as an exclusive
     * iterate_upper_bound; null when no such key exists (prefix all 0xFF), meaning "unbounded".
     */
    static byte[] successor(byte[] prefix) {
        byte[] s = prefix.clone();
        for (int i = s.length - 1; i >= 0; i--) {
            if (s[i] != (byte) 0xFF) {
                s[i]++;
                return Arrays.copyOf(s, i + 1);
            }
        }
        return null;
    }

    private static void putLong(byte[] k, int offset, long v) {
        for (int i = LONG - 1; i >= 0; i--) {
            k[offset + i] = (byte) v;
            v >>>= 8;
        }
    }
}
