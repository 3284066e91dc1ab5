package dev.tern.bench.load;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.tern.protocol.FrameCodec;
import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.ServerFrame;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One generator connection speaking Tern's protocol over Netty. Request callbacks and push handling
 * run on the connection's event loop; {@link #send} may be called from any thread.
 */
public final class WsClient extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    /** Receives frames that answer no request (pushes). Runs on the event loop. */
    public interface PushListener {
        void onPush(WsClient client, ServerFrame frame);
    }

    /**
     * Sees binary frames before they are parsed, on the event loop; returns true when it consumed
     * the frame. Lets a scenario read its own hot-path replies without building a ServerFrame.
     */
    public interface RawHandler {
        boolean onFrame(WsClient client, ByteBuf content);
    }

    /** A shared event-loop group and bootstrap for many connections. */
    public static final class Pool implements AutoCloseable {
        final EventLoopGroup group;
        final Bootstrap bootstrap;

        public Pool(int threads) {
            IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
            group = new MultiThreadIoEventLoopGroup(threads, io);
            bootstrap = new Bootstrap().group(group)
                    .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
        }

        @Override
        public void close() {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private final boolean json;
    private final PushListener listener;
    private final CompletableFuture<WsClient> connected = new CompletableFuture<>();
    private final Map<Long, Consumer<ServerFrame>> pending = new HashMap<>(); // event loop only
    private long nextId;                                                     // event loop only
    private volatile Channel channel;
    public volatile Object attachment;
    private volatile RawHandler raw;
    private boolean unflushed; // event loop only: a raw write from a read callback awaits the read's end

    private WsClient(boolean json, PushListener listener) {
        this.json = json;
        this.listener = listener;
    }

    /** Connects from {@code sourceHost} (e.g. "127.0.0.7") and completes after the WebSocket handshake. */
    public static CompletableFuture<WsClient> connect(Pool pool, URI uri, String sourceHost, boolean json,
                                                      PushListener listener) {
        WsClient c = new WsClient(json, listener);
        WebSocketClientProtocolConfig cfg = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .subprotocol(json ? FrameCodec.JSON_SUBPROTOCOL : FrameCodec.BINARY_SUBPROTOCOL)
                .maxFramePayloadLength(16 << 20)
                .handshakeTimeoutMillis(60_000)
                .build();
        Bootstrap b = pool.bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
                        new WebSocketClientProtocolHandler(cfg), c);
            }
        });
        b.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), new InetSocketAddress(sourceHost, 0))
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        c.connected.completeExceptionally(f.cause());
                    }
                });
        return c.connected;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            channel = ctx.channel();
            connected.complete(this);
        } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            connected.completeExceptionally(new IOException("handshake timeout"));
        }
        super.userEventTriggered(ctx, evt);
    }

    /** Sends a request; {@code onResponse} runs on the event loop with the response frame. */
    public void send(ClientFrame.Builder frame, Consumer<ServerFrame> onResponse, boolean flush) {
        Channel ch = channel;
        if (ch.eventLoop().inEventLoop()) {
            write(ch, frame, onResponse, flush);
        } else {
            ch.eventLoop().execute(() -> write(ch, frame, onResponse, flush));
        }
    }

    /** Sends and returns the response as a future (setup paths). */
    public CompletableFuture<ServerFrame> request(ClientFrame.Builder frame) {
        CompletableFuture<ServerFrame> f = new CompletableFuture<>();
        send(frame, f::complete, true);
        return f;
    }

    /** Installs (or with null removes) the handler that sees binary frames first. */
    public void rawHandler(RawHandler handler) {
        this.raw = handler;
    }

    /**
     * Writes bytes that already are a complete, masked WebSocket frame (see {@link SendTemplate});
     * event loop only. After the handshake the pipeline has no HTTP encoder left, and the WebSocket
     * encoder passes a plain buffer through.
     */
    public void writeRaw(ByteBuf wsFrame, boolean flush) {
        if (flush) {
            channel.writeAndFlush(wsFrame, channel.voidPromise());
        } else {
            channel.write(wsFrame, channel.voidPromise());
            unflushed = true; // flushed by flush() or at the end of the current read burst
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
        super.channelReadComplete(ctx);
    }

    public void flush() {
        Channel ch = channel;
        if (ch != null) {
            ch.flush();
        }
    }

    public Channel channel() {
        return channel;
    }

    public boolean isOpen() {
        Channel ch = channel;
        return ch != null && ch.isActive();
    }

    public void close() {
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    private void write(Channel ch, ClientFrame.Builder frame, Consumer<ServerFrame> onResponse, boolean flush) {
        long id = ++nextId;
        pending.put(id, onResponse);
        ClientFrame f = frame.setId(Long.toString(id)).build();
        WebSocketFrame out;
        if (json) {
            out = new TextWebSocketFrame(FrameCodec.toJson(f));
        } else {
            ByteBuf buf = ch.alloc().buffer(f.getSerializedSize());
            try (ByteBufOutputStream os = new ByteBufOutputStream(buf)) {
                f.writeTo(os);
            } catch (IOException e) {
                buf.release();
                throw new IllegalStateException(e);
            }
            out = new BinaryWebSocketFrame(buf);
        }
        if (flush) {
            ch.writeAndFlush(out, ch.voidPromise());
        } else {
            ch.write(out, ch.voidPromise());
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) throws Exception {
        ServerFrame f;
        RawHandler r = raw;
        if (r != null && frame instanceof BinaryWebSocketFrame b && r.onFrame(this, b.content())) {
            return;
        }
        if (frame instanceof BinaryWebSocketFrame b) {
            f = ServerFrame.parseFrom(b.content().nioBuffer());
        } else if (frame instanceof TextWebSocketFrame t) {
            ServerFrame.Builder sb = ServerFrame.newBuilder();
            try {
                PARSER.merge(t.text(), sb);
            } catch (InvalidProtocolBufferException e) {
                return;
            }
            f = sb.build();
        } else {
            return;
        }
        if (!f.getId().isEmpty()) {
            Consumer<ServerFrame> cb = pending.remove(Long.parseLong(f.getId()));
            if (cb != null) {
                cb.accept(f);
                return;
            }
        }
        listener.onPush(this, f);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        connected.completeExceptionally(new IOException("closed"));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        connected.completeExceptionally(cause);
        ctx.close();
    }
}
