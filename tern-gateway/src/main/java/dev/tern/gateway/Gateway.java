package dev.tern.gateway;

import dev.tern.core.Core;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** Binds the port and builds each connection's pipeline. */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig config;
    private final ConnectionPipeline pipeline;
    private final EventLoopGroup group;
    private final Class<? extends ServerChannel> channelType;
    private volatile boolean accepting = true;
    private Channel server;

    public Gateway(Core core, GatewayConfig config, String serverVersion) {
        this.config = config;
        this.pipeline = new ConnectionPipeline(config, new Dispatcher(core, config, serverVersion), () -> accepting);
        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.channelType = Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        // One event loop per core: more loops than cores only adds context switches.
        int threads = config.ioThreads() == 0 ? Runtime.getRuntime().availableProcessors() : config.ioThreads();
        this.group = new MultiThreadIoEventLoopGroup(threads, io);
    }

    /** Binds and returns the bound address (the real port when configured with 0). */
    public InetSocketAddress start() throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.maxOutboundBytes() / 2, config.maxOutboundBytes()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        pipeline.build(ch.pipeline());
                    }
                });
        server = b.bind(config.host(), config.port()).sync().channel();
        InetSocketAddress bound = (InetSocketAddress) server.localAddress();
        log.info("listening on {}:{} ({} transport)", bound.getHostString(), bound.getPort(),
                Epoll.isAvailable() ? "epoll" : "nio");
        return bound;
    }

    /** Stops accepting new connections; existing ones stay until closed. */
    public void stopAccepting() {
        accepting = false;
        if (server != null) {
            server.close().syncUninterruptibly();
        }
    }

    @Override
    public void close() {
        stopAccepting();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
