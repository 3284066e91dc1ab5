package dev.tern.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.tern.protocol.FrameCodec;
import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.Pong;
import dev.tern.protocol.v1.SendAck;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.protocol.v1.Session;
import dev.tern.protocol.v1.SyncResult;
import dev.tern.protocol.v1.Welcome;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebSocket peer on port 0 that plays the server's side of the protocol as simply as a test needs:
 * by default it welcomes, answers pings, logs in and resumes anyone, syncs nothing and acknowledges
 * every send; a test replaces {@link #responder} to refuse, stay silent or answer otherwise, and can
 * refuse handshakes, push frames and drop connections. Every frame a client sent is kept, with the
 * number of the connection (1, 2, ...) it came on.
 */
final class FakeServer implements AutoCloseable {
    static final String TICKET = "ticket-1";
    static final long USER_ID = 1;

    private record Received(int connection, ClientFrame frame) {}

    /** One accepted WebSocket connection. */
    record Peer(int number, Channel channel, boolean binary) {
        void send(ServerFrame f) {
            channel.writeAndFlush(binary ? new BinaryWebSocketFrame(Unpooled.wrappedBuffer(f.toByteArray()))
                    : new TextWebSocketFrame(FrameCodec.toJson(f)));
        }

        /** Closes the TCP connection without a close handshake, as a network failure would. */
        void drop() {
            channel.close();
        }
    }

    /** The answer to a frame on a connection, without its id; null for none. */
    volatile BiFunction<Integer, ClientFrame, ServerFrame> responder = (connection, f) -> standard(f);
    /** When set, WebSocket handshakes get 503: the server is down as far as the client can tell. */
    volatile boolean refuse;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>(); // consumed by next()
    private final List<Received> log = new CopyOnWriteArrayList<>();              // kept
    private final List<Peer> peers = new CopyOnWriteArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();

    FakeServer() throws InterruptedException {
        WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder().websocketPath("/ws")
                .subprotocols(FrameCodec.JSON_SUBPROTOCOL + "," + FrameCodec.BINARY_SUBPROTOCOL).build();
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Gate(),
                                new WebSocketServerProtocolHandler(ws), new Frames());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort() + "/ws");
    }

    /** Connections accepted so far (handshakes completed). */
    int connections() {
        return peers.size();
    }

    int refusedHandshakes() {
        return refused.get();
    }

    Peer peer(int number) {
        return peers.get(number - 1);
    }

    Peer latest() {
        return peers.getLast();
    }

    /**
     * The next frame with body {@code body} that the client sent on connection {@code connection},
     * skipping (and consuming) the frames before it: pings, other requests, earlier connections.
     */
    ClientFrame next(int connection, ClientFrame.BodyCase body) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Received r = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            assertThat(r).as("a %s frame on connection %d", body, connection).isNotNull();
            if (r.connection() == connection && r.frame().getBodyCase() == body) {
                return r.frame();
            }
        }
    }

    /** How many frames with body {@code body} the client has sent on connection {@code connection}. */
    long count(int connection, ClientFrame.BodyCase body) {
        return log.stream().filter(r -> r.connection() == connection && r.frame().getBodyCase() == body).count();
    }

    /** What a server that accepts everything answers. */
    static ServerFrame standard(ClientFrame f) {
        ServerFrame.Builder b = ServerFrame.newBuilder();
        return switch (f.getBodyCase()) {
            case HELLO -> b.setWelcome(Welcome.newBuilder().setProtocolVersion(1)).build();
            case PING -> b.setPong(Pong.getDefaultInstance()).build();
            case LOGIN -> b.setSession(Session.newBuilder().setUserId(USER_ID).setUsername(f.getLogin().getUsername())
                    .setTicket(TICKET).setPts(5)).build();
            case RESUME -> b.setSession(Session.newBuilder().setUserId(USER_ID).setUsername("ann").setPts(5)).build();
            case SYNC -> b.setSyncResult(SyncResult.newBuilder().setPts(f.getSync().getAfterPts())).build();
            case SEND -> b.setSendAck(SendAck.newBuilder().setClientMsgId(f.getSend().getClientMsgId())
                    .setConversationId(f.getSend().getConversationId()).setSeq(1)).build();
            default -> null;
        };
    }

    static ServerFrame error(dev.tern.protocol.v1.ErrorCode code, boolean retryable, int retryAfterMs) {
        return ServerFrame.newBuilder().setError(dev.tern.protocol.v1.Error.newBuilder().setCode(code)
                .setMessage(code.name()).setRetryable(retryable).setRetryAfterMs(retryAfterMs)).build();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        peers.forEach(p -> p.channel().close());
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Refuses the upgrade with 503 while {@link #refuse} is set. */
    private final class Gate extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (refuse && msg instanceof FullHttpRequest) {
                ReferenceCountUtil.release(msg);
                refused.incrementAndGet();
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SERVICE_UNAVAILABLE))
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Decodes each frame, records it, and sends the responder's answer under the frame's id. */
    private final class Frames extends SimpleChannelInboundHandler<WebSocketFrame> {
        private Peer peer;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete hc) {
                synchronized (peers) {
                    peer = new Peer(peers.size() + 1, ctx.channel(),
                            FrameCodec.BINARY_SUBPROTOCOL.equals(hc.selectedSubprotocol()));
                    peers.add(peer);
                }
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame msg) throws InvalidProtocolBufferException {
            ClientFrame f;
            if (msg instanceof BinaryWebSocketFrame bin) {
                f = ClientFrame.parseFrom(ByteBufUtil.getBytes(bin.content()));
            } else if (msg instanceof TextWebSocketFrame text) {
                ClientFrame.Builder b = ClientFrame.newBuilder();
                JsonFormat.parser().merge(text.text(), b);
                f = b.build();
            } else {
                return;
            }
            Received r = new Received(peer.number(), f);
            log.add(r);
            received.add(r);
            ServerFrame answer = responder.apply(peer.number(), f);
            if (answer != null) {
                peer.send(answer.toBuilder().setId(f.getId()).build());
            }
        }
    }
}
