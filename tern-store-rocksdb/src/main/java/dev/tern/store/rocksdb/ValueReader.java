package dev.tern.store.rocksdb;

import dev.tern.core.store.StoreException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what {@link ValueWriter} wrote. Every malformation (unknown version, truncation, overlong
 * varint, trailing bytes) is a {@link StoreException} naming the column family, so a corrupt or
 * future-format value fails loudly instead of decoding into a plausible wrong record.
 */
final class ValueReader {

    private final String family;
    private final byte[] buf;
    private int pos;

    ValueReader(String family, byte[] value, int expectedVersion) {
        this.family = family;
        this.buf = value;
        if (value.length == 0) {
            throw corrupt("empty value");
        }
        int version = value[0] & 0xFF;
        if (version != expectedVersion) {
            throw new StoreException("unsupported value format version " + version + " in column family "
                    + family + " (this build reads version " + expectedVersion + ")");
        }
        pos = 1;
    }

    long varLong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= buf.length) {
                throw corrupt("truncated varint");
            }
            byte b = buf[pos++];
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw corrupt("varint longer than 10 bytes");
    }

    int code() {
        if (pos >= buf.length) {
            throw corrupt("truncated enum code");
        }
        return buf[pos++] & 0xFF;
    }

    byte[] bytes() {
        long n = varLong();
        if (n < 0 || n > buf.length - pos) {
            throw corrupt("length " + n + " exceeds the " + (buf.length - pos) + " remaining bytes");
        }
        byte[] b = Arrays.copyOfRange(buf, pos, pos + (int) n);
        pos += (int) n;
        return b;
    }

    String string() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /** Call after the last field: trailing bytes mean the value was not written by this format version. */
    void end() {
        if (pos != buf.length) {
            throw corrupt((buf.length - pos) + " trailing bytes");
        }
    }

    /** A varint count of the list that follows, at most {@code max}: a corrupt length must not size an allocation. */
    int count(String what, int max) {
        long n = varLong();
        if (n < 0 || n > max) {
            throw corrupt(what + " count " + n);
        }
        return (int) n;
    }

    StoreException corrupt(String what) {
        return new StoreException("corrupt value in column family " + family + ": " + what);
    }
}
