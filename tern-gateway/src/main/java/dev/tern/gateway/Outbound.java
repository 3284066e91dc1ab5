package dev.tern.gateway;

import dev.tern.protocol.v1.ServerFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The frames on their way to one client, with back-pressure. Any thread offers frames (responses
 * from the connection's request thread, acks and pushes from the publisher); one event-loop task at
 * a time drains them: it encodes each there, writes it while Netty's buffer has room and flushes
 * once, so a burst of acks and pushes costs one wakeup and one socket write.
 *
 * <p>When Netty's buffer is full (its water mark is small, see {@link Gateway}) the frames wait here,
 * encoded and in order, until the channel is writable again. They wait here rather than in Netty's
 * buffer because what waits here can be dropped whole: a slow reader's goodbye must not queue behind
 * the frames it is not reading (see {@link Goodbye}). Once what waits here and in Netty's buffer
 * exceeds {@code limits.max-outbound}, the client is a slow reader: {@code onSlowReader} runs, on the
 * event loop.
 *
 * <p>Threads: {@link #offer} from any thread; everything else on the channel's event loop.
 */
final class Outbound {
    private static final VarHandle SCHEDULED;

    static {
        try {
            SCHEDULED = MethodHandles.lookup().findVarHandle(Outbound.class, "scheduled", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ConcurrentLinkedQueue<ServerFrame> incoming = new ConcurrentLinkedQueue<>();
    @SuppressWarnings("unused") // through SCHEDULED
    private volatile boolean scheduled;
    private final int maxBytes;
    private final GatewayMetrics metrics;
    private final Runnable onSlowReader;
    private volatile Channel channel;
    private volatile boolean binary;
    // Event loop only. Allocated when a frame first has to wait: most connections never need it.
    private ArrayDeque<WebSocketFrame> held;
    private long heldBytes;
    private boolean reading;   // between a frame read and the end of its read burst
    private boolean unflushed; // frames written in this burst await its flush
    private boolean ended;     // a goodbye took over, or the channel closed: nothing more is written

    Outbound(int maxBytes, GatewayMetrics metrics, Runnable onSlowReader) {
        this.maxBytes = maxBytes;
        this.metrics = metrics;
        this.onSlowReader = onSlowReader;
    }

    /** At the WebSocket handshake: frames may flow from now on, in the negotiated encoding. */
    void open(Channel ch, boolean binaryFrames) {
        binary = binaryFrames;
        channel = ch;
    }

    boolean binary() {
        return binary;
    }

    /** Queues a frame; a no-op before the handshake. Any thread. */
    void offer(ServerFrame frame) {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        incoming.add(frame);
        if (ch.eventLoop().inEventLoop()) {
            // A refusal, pong or fast-path answer written while the event loop reads: out now, behind
            // what other threads queued. Queued for a later task instead, a flood's refusals would pile
            // up in front of the acks. Inside a read burst the flush waits for its end.
            drain();
            return;
        }
        if (SCHEDULED.compareAndSet(this, false, true)) {
            ch.eventLoop().execute(this::drain);
        }
    }

    /** Writes what was offered, holding what does not fit; checks the bound. */
    private void drain() {
        SCHEDULED.setVolatile(this, false);
        if (ended) {
            incoming.clear();
            return;
        }
        Channel ch = channel;
        int wrote = 0;
        ServerFrame f;
        while ((f = incoming.poll()) != null) {
            WebSocketFrame w = WireFormat.encode(f, binary, ch.alloc());
            if ((held == null || held.isEmpty()) && hasRoom(ch)) {
                ch.write(w, ch.voidPromise());
                wrote++;
            } else {
                hold(w);
            }
        }
        if (wrote > 0) {
            if (reading) {
                unflushed = true;
            } else {
                ch.flush();
            }
            metrics.framesOut(wrote);
        }
        if (heldBytes > 0 && heldBytes + pendingInNetty(ch) > maxBytes) {
            onSlowReader.run();
        }
    }

    private void hold(WebSocketFrame w) {
        if (held == null) {
            held = new ArrayDeque<>();
        }
        held.add(w);
        heldBytes += w.content().readableBytes();
    }

    private static boolean hasRoom(Channel ch) {
        if (!ch.isWritable()) {
            ch.flush(); // unflushed frames of this burst count too: give the socket a chance first
        }
        return ch.isWritable();
    }

    /** The channel became writable again: frames that waited go out, in order. */
    void writable() {
        Channel ch = channel;
        if (ended || held == null || ch == null) {
            return;
        }
        int wrote = 0;
        WebSocketFrame w;
        while ((w = held.peek()) != null && hasRoom(ch)) {
            held.poll();
            heldBytes -= w.content().readableBytes();
            ch.write(w, ch.voidPromise());
            wrote++;
        }
        if (wrote > 0) {
            ch.flush();
            metrics.framesOut(wrote);
        }
    }

    /** A read burst starts: frames written until it ends share one flush. */
    void readStarted() {
        reading = true;
    }

    void readComplete() {
        reading = false;
        if (unflushed) {
            unflushed = false;
            channel.flush();
        }
    }

    /**
     * For a goodbye that keeps order: writes everything that waits or was offered, whether or not the
     * channel has room (the goodbye follows it), and ends the queue. Returns the frames written.
     */
    int endAfterWriting() {
        Channel ch = channel;
        ended = true;
        int wrote = 0;
        if (held != null) {
            for (WebSocketFrame w; (w = held.poll()) != null; wrote++) {
                ch.write(w, ch.voidPromise());
            }
            heldBytes = 0;
        }
        for (ServerFrame f; (f = incoming.poll()) != null; wrote++) {
            ch.write(WireFormat.encode(f, binary, ch.alloc()), ch.voidPromise());
        }
        metrics.framesOut(wrote);
        return wrote;
    }

    /** Drops everything that waits or was offered, and ends the queue (a slow reader, a closed channel). */
    void endDropping() {
        ended = true;
        incoming.clear();
        if (held != null) {
            for (WebSocketFrame w; (w = held.poll()) != null; ) {
                w.release();
            }
            heldBytes = 0;
        }
    }

    /** Bytes written to Netty but not yet taken by the socket. */
    static long pendingInNetty(Channel ch) {
        ChannelOutboundBuffer b = ch.unsafe().outboundBuffer();
        return b == null ? 0 : b.totalPendingWriteBytes();
    }
}
