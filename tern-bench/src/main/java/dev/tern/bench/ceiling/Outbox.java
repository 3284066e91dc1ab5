package dev.tern.bench.ceiling;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import dev.tern.protocol.FrameCodec;
import dev.tern.protocol.v1.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.internal.PlatformDependent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The one way frames reach a connection. Any thread may {@link #put}; the channel's event loop
 * writes everything queued and flushes once.
 *
 * <p>Why not plain {@code channel.writeAndFlush}: a write from the channel's own loop goes out at
 * once while writes from other loops wait in the task queue, so two frames handed over in pts order
 * could leave in the other order. Here the queue order is the wire order, and because the drain
 * runs as a task after the loop's batch of reads, replies to a burst of requests share one flush
 * (the same effect as flushing in channelReadComplete, also for pushes coming from other loops).
 */
final class Outbox {
    private final Channel channel;
    private final boolean binary;
    private final Queue<Object> queue = PlatformDependent.newMpscQueue();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;

    Outbox(Channel channel, boolean binary) {
        this.channel = channel;
        this.binary = binary;
    }

    boolean binary() {
        return binary;
    }

    EventLoop loop() {
        return channel.eventLoop();
    }

    /** Queues a built frame; encoded on the channel's loop in its subprotocol. */
    void offer(ServerFrame frame) {
        put(frame);
    }

    /** Queues a frame built lazily on the channel's loop (keeps work off the group-commit thread). */
    void offer(Supplier<ServerFrame> frame) {
        put(frame);
    }

    /**
     * Queues an item: a {@link ServerFrame}, a {@code Supplier<ServerFrame>}, or a pre-encoded binary
     * frame {@link ByteBuf} (binary connections only; ownership of one reference passes here).
     */
    void put(Object item) {
        queue.offer(item);
        // Check before CAS: under fan-out most offers find a drain already scheduled.
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(drainTask);
            } catch (RejectedExecutionException e) {
                // Shutting down: the loop is gone, so nothing will be written; just free the buffers.
                Object dropped;
                while ((dropped = queue.poll()) != null) {
                    ReferenceCountUtil.release(dropped);
                }
            }
        }
    }

    private void drain() {
        // Cleared before polling: an offer that misses this drain sees false and schedules another.
        scheduled.set(false);
        boolean active = channel.isActive();
        int written = 0;
        Object o;
        while ((o = queue.poll()) != null) {
            if (!active) {
                ReferenceCountUtil.release(o);
                continue;
            }
            // No slow-reader policy: the ceiling writes past the high water mark rather than close.
            channel.write(toWebSocket(o), channel.voidPromise());
            written++;
        }
        if (written > 0) {
            channel.flush();
        }
    }

    @SuppressWarnings("unchecked")
    private WebSocketFrame toWebSocket(Object o) {
        if (o instanceof ByteBuf b) {
            return new BinaryWebSocketFrame(b);
        }
        ServerFrame f = o instanceof ServerFrame s ? s : ((Supplier<ServerFrame>) o).get();
        return binary ? new BinaryWebSocketFrame(encode(channel.alloc(), f))
                : new TextWebSocketFrame(FrameCodec.toJson(f));
    }

    /** Serializes straight into a pooled buffer (no intermediate byte[] as {@code toByteArray} would make). */
    static ByteBuf encode(ByteBufAllocator alloc, MessageLite m) {
        int size = m.getSerializedSize();
        ByteBuf buf = alloc.ioBuffer(size);
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(buf.nioBuffer(0, size));
            m.writeTo(out);
            out.checkNoSpaceLeft();
            buf.writerIndex(size);
            return buf;
        } catch (IOException | RuntimeException e) {
            buf.release();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }
}
