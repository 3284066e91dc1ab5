package dev.tern.gateway;

import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.ServerFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollSocketChannelConfig;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The close protocol: how the server ends a WebSocket connection (docs/protocol.md, "Goodbye and
 * close codes"). Runs on the connection's event loop.
 *
 * <ol>
 *   <li>What was queued to the client goes first, so answers made before the goodbye (a shutdown's
 *       last acks) reach it. A slow reader's queue is dropped instead: those frames are in the log
 *       and come again by sync, and the goodbye must not wait behind what the client is not reading.
 *   <li>The {@code goodbye} push and a close frame (4000 + the code's number, or a WebSocket code)
 *       are written and flushed, with room made for them in the socket's send buffer (below).
 *   <li>Once the close frame is out, the server half-closes (FIN after the data) and reads on,
 *       discarding: closing a socket that still has unread input sends a reset, which destroys
 *       whatever was in flight, the goodbye included (a client pipelining requests would see 1006).
 *   <li>The socket is closed when the client closes its side, and {@link #LINGER_MS} after the
 *       goodbye at the latest, whether the client read anything or not.
 * </ol>
 *
 * <p>Room in the socket: a client that reads nothing fills its receive buffer and then the server's
 * send buffer, and nothing more can pass. On Linux (epoll) the gateway therefore lets the kernel hold
 * at most {@link #NOTSENT_LOWAT} unsent bytes per connection (TCP_NOTSENT_LOWAT, as HTTP/2 servers do
 * to keep urgent frames ahead); the rest waits in {@link Outbound}, where it can be dropped. For the
 * goodbye that limit is lifted, and a small send buffer is raised, so the goodbye and close frame
 * enter the kernel at once and reach the client whenever it reads, even after the server closed.
 */
final class Goodbye {
    private static final Logger log = LoggerFactory.getLogger(Goodbye.class);
    static final int CLOSE_CODE_BASE = 4000;
    /** On shutdown, how long a client must have sent nothing before its goodbye (see whenQuiet). */
    static final long QUIET_MS = 20;
    /** The longest the server keeps a connection after its goodbye. */
    static final long LINGER_MS = 1000;
    /** Unsent bytes the kernel may hold per connection (epoll): small, so the send buffer keeps room. */
    static final int NOTSENT_LOWAT = 128 * 1024;
    /** Extra send buffer for the goodbye: the frames themselves are small; the kernel counts overhead. */
    private static final int GOODBYE_ROOM = 64 * 1024;
    private static final int WMEM_MAX = systemWmemMax();

    private Goodbye() {}


    /**
     * Shutdown: runs {@code goodbye} on the event loop once the client has been quiet for
     * {@link #QUIET_MS}, so that requests it pipelined before the stop are read and answered
     * (SHUTTING_DOWN) rather than discarded after the goodbye; at {@code deadlineNanos} it runs
     * anyway (a client that never stops sending). Checked on the event loop, so a loop that is slow
     * to read does not pass for a quiet client.
     */
    static void whenQuiet(Channel ch, Deadlines reads, long deadlineNanos, Runnable goodbye) {
        ch.eventLoop().execute(() -> {
            if (reads.readSinceLastCheck() && ch.isActive() && System.nanoTime() - deadlineNanos < 0) {
                ch.eventLoop().schedule(() -> whenQuiet(ch, reads, deadlineNanos, goodbye), QUIET_MS,
                        TimeUnit.MILLISECONDS);
            } else {
                goodbye.run();
            }
        });
    }

    /** A goodbye: its reason, text and close code. */
    record Farewell(ErrorCode reason, String message, int closeCode) {}

    /**
     * The goodbye for a WebSocket protocol error Netty raised: an oversized message (1009) or broken
     * framing (1002); null for anything else (the connection just closes).
     */
    static Farewell forError(Throwable cause, int maxFrameBytes) {
        if (cause instanceof CorruptedWebSocketFrameException c && c.closeStatus() != null
                && c.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()
                || cause instanceof TooLongFrameException) {
            return new Farewell(ErrorCode.FRAME_TOO_LARGE, "frame exceeds " + maxFrameBytes + " bytes",
                    WebSocketCloseStatus.MESSAGE_TOO_BIG.code());
        }
        if (cause instanceof CorruptedFrameException) {
            return new Farewell(ErrorCode.MALFORMED_FRAME, "WebSocket protocol violation",
                    WebSocketCloseStatus.PROTOCOL_ERROR.code());
        }
        return null;
    }

    /** The close code for a goodbye that has no WebSocket-level code of its own. */
    static int closeCode(ErrorCode reason) {
        return CLOSE_CODE_BASE + reason.getNumber();
    }

    /**
     * Says goodbye on {@code ch} (event loop only). {@code dropQueued}: a slow reader, whose queued
     * frames are dropped rather than sent first.
     */
    static void say(Channel ch, Outbound outbound, ErrorCode reason, String message, int closeCode,
                    boolean dropQueued, GatewayMetrics metrics) {
        metrics.goodbye(reason);
        if (dropQueued) {
            outbound.endDropping();
        } else {
            outbound.endAfterWriting();
        }
        ServerFrame bye = ServerFrame.newBuilder()
                .setGoodbye(dev.tern.protocol.v1.Goodbye.newBuilder().setReason(reason).setMessage(message)).build();
        WebSocketFrame encoded = WireFormat.encode(bye, outbound.binary(), ch.alloc());
        makeRoom(ch, Outbound.pendingInNetty(ch) + encoded.content().readableBytes() + GOODBYE_ROOM);
        ch.write(encoded, ch.voidPromise());
        ChannelFuture closeSent = ch.writeAndFlush(new CloseWebSocketFrame(closeCode, reason.name()));
        metrics.framesOut(1);
        closeSent.addListener(f -> {
            if (f.isSuccess()) {
                halfClose(ch);
            } else {
                ch.close();
            }
        });
        ch.config().setAutoRead(true); // read on (and discard), see above
        ScheduledFuture<?> linger = ch.eventLoop().schedule(() -> {
            ch.close();
        }, LINGER_MS, TimeUnit.MILLISECONDS);
        ch.closeFuture().addListener(f -> linger.cancel(false));
    }

    /** Output done: FIN after the data (TLS: close_notify first); a channel that cannot half-close closes. */
    private static void halfClose(Channel ch) {
        if (!(ch instanceof DuplexChannel duplex) || !ch.isActive()) {
            ch.close(); // e.g. an embedded channel in tests
            return;
        }
        SslHandler tls = ch.pipeline().get(SslHandler.class);
        if (tls == null) {
            duplex.shutdownOutput();
        } else {
            tls.closeOutbound().addListener(f -> duplex.shutdownOutput());
        }
    }

    /**
     * Lets {@code bytes} more into the kernel's send buffer right away: lifts the unsent-bytes limit
     * and raises a send buffer smaller than that. Linux (epoll) only; elsewhere the goodbye may wait
     * for the client to read, and a client that never reads is closed after {@link #LINGER_MS}
     * without it.
     */
    private static void makeRoom(Channel ch, long bytes) {
        if (!(ch instanceof EpollSocketChannel epoll) || !ch.isActive()) {
            return;
        }
        try {
            EpollSocketChannelConfig c = epoll.config();
            c.setTcpNotSentLowAt(0xFFFF_FFFFL); // no limit but the send buffer
            long now = c.getSendBufferSize();   // the kernel's value: twice what was asked for
            long target = Math.min(now + 2 * bytes, 2L * WMEM_MAX);
            if (target > now) {
                c.setSendBufferSize((int) (target / 2));
            }
        } catch (RuntimeException e) {
            log.debug("cannot make room for a goodbye", e); // the socket went away meanwhile
        }
    }

    /** The largest send buffer a process may set (Linux); lower values are what an unprivileged default allows. */
    private static int systemWmemMax() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/sys/net/core/wmem_max")).trim());
        } catch (Exception e) {
            return 212_992; // Linux's default
        }
    }
}
