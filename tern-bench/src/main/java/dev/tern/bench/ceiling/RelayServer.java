package dev.tern.bench.ceiling;

import dev.tern.protocol.FrameCodec;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The ceiling server: Tern's transport (Netty, WebSocket on /ws, the same subprotocols and frames)
 * with none of its logic, so a load run against it shows what the framing and load shape alone
 * cost. {@code bare} relays from the event loop; {@code durable} adds a group-committed, fsynced
 * RocksDB write per message before the ack, the least any durable server must do.
 *
 * <p>Prints {@code RELAY READY port=<port> pid=<pid>} once bound; the load generator waits for it.
 */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = "Ceiling relay: Tern's framing and load shape without Tern's logic.")
public final class RelayServer implements Callable<Integer> {
    /** Same limits as the gateway's defaults, so per-connection buffering behaves alike. */
    private static final int MAX_FRAME_BYTES = 128 * 1024;
    private static final int MAX_OUTBOUND_BYTES = 4 << 20;

    enum Mode { bare, durable }

    @Option(names = "--port", description = "port to bind (0: any free port)", defaultValue = "0")
    int port;

    @Option(names = "--host", description = "address to bind", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--mode", required = true, description = "bare | durable")
    Mode mode;

    @Option(names = "--data", description = "RocksDB directory (durable mode; created when missing)",
            defaultValue = "ceiling-data")
    Path data;

    @Option(names = "--io-threads", description = "event-loop threads (0: Netty's default, as the gateway)",
            defaultValue = "0")
    int ioThreads;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RelayServer()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType =
                Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(ioThreads, io);
        Relay relay = new Relay(ByteBufAllocator.DEFAULT);
        GroupCommit commit = mode == Mode.durable ? new GroupCommit(relay, data) : null;
        CountDownLatch stopped = new CountDownLatch(1);
        try {
            ServerBootstrap b = new ServerBootstrap()
                    .group(group)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                            new WriteBufferWaterMark(MAX_OUTBOUND_BYTES / 2, MAX_OUTBOUND_BYTES))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            pipeline(ch.pipeline(), relay, commit);
                        }
                    });
            Channel server = b.bind(host, port).sync().channel();
            int bound = ((java.net.InetSocketAddress) server.localAddress()).getPort();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close().syncUninterruptibly();
                try {
                    stopped.await(15, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "relay-shutdown"));
            System.err.println("relay: mode=" + mode + " transport=" + (Epoll.isAvailable() ? "epoll" : "nio")
                    + (commit != null ? " data=" + data.toAbsolutePath() : ""));
            System.out.println("RELAY READY port=" + bound + " pid=" + ProcessHandle.current().pid());
            System.out.flush();
            server.closeFuture().sync();
        } finally {
            // Loops first, so nothing is submitted to the commit thread after it drains.
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            if (commit != null) {
                commit.close();
            }
            stopped.countDown();
        }
        return 0;
    }

    private static void pipeline(ChannelPipeline p, Relay relay, GroupCommit commit) {
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(MAX_FRAME_BYTES)
                .allowExtensions(false)
                .build();
        WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/ws")
                // Binary first only documents intent: Netty picks the first of the client's list we support.
                .subprotocols(FrameCodec.BINARY_SUBPROTOCOL + "," + FrameCodec.JSON_SUBPROTOCOL)
                .decoderConfig(decoder)
                .dropPongFrames(true)
                .build();
        p.addLast(new HttpServerCodec(4096, 8192, 8192));
        p.addLast(new HttpObjectAggregator(16 * 1024));
        p.addLast(new WebSocketServerProtocolHandler(ws));
        p.addLast(new WebSocketFrameAggregator(MAX_FRAME_BYTES));
        p.addLast(new RelayHandler(relay, commit));
    }
}
