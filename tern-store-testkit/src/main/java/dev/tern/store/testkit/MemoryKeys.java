package dev.tern.store.testkit;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The keys of {@link MemoryStore}'s sorted maps, ordered exactly as RocksDB orders the bytes of the
 * embedded store's keys, so both stores list records in the same order, edge cases included: ids,
 * seqs and pts compare unsigned (a big-endian u64), strings by UTF-8 bytes (which is code point
 * order, not {@link String#compareTo}'s UTF-16 order), times signed (the time indexes flip the sign
 * bit) and hashes as unsigned bytes.
 */
final class MemoryKeys {

    private MemoryKeys() {
    }

    /** UTF-8 byte order of two strings: their code point order. */
    static final Comparator<String> UTF8 = MemoryKeys::compareUtf8;

    /** The order of u64 key parts. */
    static final Comparator<Long> UNSIGNED = Long::compareUnsigned;

    /** The greatest u64: the upper end of every prefix scan. */
    static final long MAX = -1L;

    private static int compareUtf8(String x, String y) {
        int i = 0;
        int j = 0;
        while (i < x.length() && j < y.length()) {
            int a = x.codePointAt(i);
            int b = y.codePointAt(j);
            if (a != b) {
                return Integer.compare(a, b);
            }
            i += Character.charCount(a);
            j += Character.charCount(b);
        }
        return Boolean.compare(i < x.length(), j < y.length());
    }

    /** A key of two u64 parts. */
    record K2(long a, long b) implements Comparable<K2> {
        @Override
        public int compareTo(K2 o) {
            int c = Long.compareUnsigned(a, o.a);
            return c != 0 ? c : Long.compareUnsigned(b, o.b);
        }
    }

    /** A key of three u64 parts. */
    record K3(long a, long b, long c) implements Comparable<K3> {
        @Override
        public int compareTo(K3 o) {
            int r = Long.compareUnsigned(a, o.a);
            r = r != 0 ? r : Long.compareUnsigned(b, o.b);
            return r != 0 ? r : Long.compareUnsigned(c, o.c);
        }
    }

    /** A dedup record's key. */
    record DedupKey(long deviceId, String clientMsgId) {
    }

    /** A dedup record's place in the time index: tsMs, then its key. */
    record DedupAt(long tsMs, long deviceId, String clientMsgId) implements Comparable<DedupAt> {
        @Override
        public int compareTo(DedupAt o) {
            int c = Long.compare(tsMs, o.tsMs);
            c = c != 0 ? c : Long.compareUnsigned(deviceId, o.deviceId);
            return c != 0 ? c : compareUtf8(clientMsgId, o.clientMsgId);
        }
    }

    /** A ticket's place in the time index: expiresAtMs, then its hash. Only ever compared, never equated. */
    record TicketAt(long expiresAtMs, byte[] hash) implements Comparable<TicketAt> {
        @Override
        public int compareTo(TicketAt o) {
            int c = Long.compare(expiresAtMs, o.expiresAtMs);
            return c != 0 ? c : Arrays.compareUnsigned(hash, o.hash);
        }
    }
}
