package dev.tern.bench.load;

import io.netty.buffer.ByteBuf;

/**
 * The template sends of one connection that await their answer: a ring indexed by request id, with
 * each send's stamp and a small tag (a scenario's phase). Request ids start at {@link #BASE}, above
 * the ids {@link WsClient} gives its own requests, so a reply tells by its id which path it belongs
 * to. Event loop of the connection only.
 */
public final class InFlight {
    public static final long BASE = 100_000_000_000L;

    /** What a binary frame on the connection was. */
    public enum Seen {
        /** Not protobuf, or an answer to a request the template path did not make: WsClient's. */
        NOT_OURS,
        /** A push. */
        PUSH,
        /** An answer to a request not in flight (counted by the caller, never dropped silently). */
        STRAY,
        /** The answer to a send in flight: {@link #stamp()} and {@link #tag()} are its. */
        ANSWER
    }

    private final long[] ids;
    private final long[] stamps;
    private final byte[] tags;
    private final int mask;
    private long next = BASE;
    private long stamp;
    private int tag;

    /** {@code size}: a power of two, the most sends in flight at once. */
    public InFlight(int size) {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("size must be a power of two");
        }
        ids = new long[size];
        stamps = new long[size];
        tags = new byte[size];
        mask = size - 1;
    }

    /** The id for a new send stamped {@code stamp}, or -1 when its slot is still taken (ring full). */
    public long add(long stamp, int tag) {
        long id = next;
        int slot = (int) (id & mask);
        if (ids[slot] != 0) {
            return -1; // the id stays unused: the next send tries the same slot again
        }
        next++;
        ids[slot] = id;
        stamps[slot] = stamp;
        tags[slot] = (byte) tag;
        return id;
    }

    /** Reads {@code frame} into {@code reply} and, for an answer to a send in flight, takes it out. */
    public Seen read(SendTemplate.Reply reply, ByteBuf frame) {
        if (!reply.read(frame)) {
            return Seen.NOT_OURS;
        }
        if (reply.kind == SendTemplate.Kind.PUSH) {
            return Seen.PUSH;
        }
        if (reply.id < BASE) {
            return Seen.NOT_OURS;
        }
        int slot = (int) (reply.id & mask);
        if (ids[slot] != reply.id) {
            return Seen.STRAY;
        }
        ids[slot] = 0;
        stamp = stamps[slot];
        tag = tags[slot];
        return Seen.ANSWER;
    }

    /** The stamp of the send the last {@link #read} answered. */
    public long stamp() {
        return stamp;
    }

    /** The tag of the send the last {@link #read} answered. */
    public int tag() {
        return tag;
    }
}
