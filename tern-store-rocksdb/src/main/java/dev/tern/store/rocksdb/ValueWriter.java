package dev.tern.store.rocksdb;

import dev.tern.core.store.StoreException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Appends value fields: a leading format-version byte, then unsigned LEB128 varints for longs (ids
 * and timestamps are small or mid-sized, so this is 1-6 bytes instead of 8), one byte for enum codes
 * and varint-length-prefixed byte strings. Hand-written rather than a serialization library so the
 * on-disk format is exactly what {@link ValueCodec} says and nothing else.
 */
final class ValueWriter {

    private byte[] buf;
    private int len;

    ValueWriter(int version, int sizeHint) {
        buf = new byte[Math.max(16, sizeHint)];
        code(version);
    }

    ValueWriter varLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
        return this;
    }

    ValueWriter code(int c) {
        ensure(1);
        buf[len++] = (byte) c;
        return this;
    }

    /** Null is refused here, naming the field, because a null would otherwise only surface on read. */
    ValueWriter string(String field, String s) {
        if (s == null) {
            throw new StoreException("cannot store null " + field);
        }
        return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    ValueWriter bytes(String field, byte[] b) {
        if (b == null) {
            throw new StoreException("cannot store null " + field);
        }
        varLong(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }
}
