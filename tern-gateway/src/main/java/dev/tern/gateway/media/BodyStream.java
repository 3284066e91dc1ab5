package dev.tern.gateway.media;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A request body as an InputStream for a virtual thread, fed by the event loop. The channel does
 * not read on its own (autoRead off): the stream asks for the next socket read only when it has used
 * up what it holds, so a slow disk slows the client instead of filling memory. At most one socket
 * read's worth of chunks is ever queued.
 */
final class BodyStream extends InputStream {
    private static final Object END = new Object();
    private static final Object BROKEN = new Object();

    private final ChannelHandlerContext ctx;
    private final LinkedBlockingQueue<Object> chunks = new LinkedBlockingQueue<>();
    private ByteBuf current; // confined to the reading thread
    private boolean ended;   // confined to the reading thread

    BodyStream(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** On the event loop: a chunk of the body (retained here, released when read). */
    void offer(HttpContent c) {
        if (c.content().isReadable()) {
            chunks.add(c.content().retain());
        }
        if (c instanceof LastHttpContent) {
            chunks.add(END);
        }
    }

    /** On the event loop: the connection went away before the body ended. */
    void broken() {
        chunks.add(BROKEN);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (current == null || !current.isReadable()) {
            if (current != null) {
                current.release();
                current = null;
            }
            if (ended) {
                return -1;
            }
            Object next = chunks.poll();
            if (next == null) {
                ctx.channel().eventLoop().execute(ctx::read); // nothing held: ask the socket for more
                try {
                    next = chunks.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
            if (next == END) {
                ended = true;
                return -1;
            }
            if (next == BROKEN) {
                chunks.add(BROKEN);
                throw new IOException("the connection closed before the body ended");
            }
            current = (ByteBuf) next;
        }
        int n = Math.min(len, current.readableBytes());
        current.readBytes(b, off, n);
        return n;
    }

    /** True once the whole body was read. */
    boolean ended() {
        return ended;
    }

    /** Releases whatever was not read. */
    @Override
    public void close() {
        if (current != null) {
            current.release();
            current = null;
        }
        Object o;
        while ((o = chunks.poll()) != null) {
            if (o instanceof ByteBuf buf) {
                buf.release();
            }
        }
    }
}
