package dev.tern.gateway;

import dev.tern.core.node.Core;
import dev.tern.gateway.http.AdminConfig;
import dev.tern.gateway.http.Backups;
import dev.tern.gateway.http.HttpHandler;
import dev.tern.protocol.v1.ErrorCode;
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
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Binds the port (and the plain port next to a TLS one) and builds each connection's pipeline. */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig config;
    private final ConnectionPipeline pipeline;
    private final EventLoopGroup group;
    private final Class<? extends ServerChannel> channelType;
    private final SslContext tls;
    private volatile boolean accepting = true;
    private Channel server;
    private Channel plainServer;

    /**
     * @param registry    where the gateway's meters are registered
     * @param metricsText the registry's Prometheus text, served at /metrics
     */
    public Gateway(Core core, GatewayConfig config, String serverVersion, MeterRegistry registry,
                   Supplier<String> metricsText, AdminConfig admin) {
        this.config = config;
        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.channelType = Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        // One event loop per core: more loops than cores only adds context switches.
        int threads = config.ioThreads() == 0 ? Runtime.getRuntime().availableProcessors() : config.ioThreads();
        this.group = new MultiThreadIoEventLoopGroup(threads, io);
        HttpHandler http = new HttpHandler(new HttpHandler.Status() {
            @Override
            public boolean alive() {
                return accepting;
            }

            @Override
            public String notReadyReason() {
                return accepting ? core.notReadyReason() : "shutting down";
            }

            @Override
            public String metrics() {
                return metricsText.get();
            }

            @Override
            public java.nio.file.Path backup() {
                return Backups.take(core, admin.backupDir());
            }
        }, admin);
        this.pipeline = new ConnectionPipeline(config,
                Dispatcher.wire(core, config, serverVersion,
                        new GatewayMetrics(registry, core.sessions()::connectionCount)), http,
                new AddressLimit(config.maxConnectionsPerAddress()), core);
        this.tls = config.tls() == null ? null : config.tls().serverContext();
    }

    /** Binds and returns the bound address of the main port (the real port when configured with 0). */
    public InetSocketAddress start() throws InterruptedException {
        server = bind(config.port(), tls);
        InetSocketAddress bound = (InetSocketAddress) server.localAddress();
        log.info("listening on {}:{} ({}; {} transport)", bound.getHostString(), bound.getPort(),
                tls == null ? "plain WebSocket and HTTP" : "TLS by " + SslContext.defaultServerProvider(),
                Epoll.isAvailable() ? "epoll" : "nio");
        if (config.plainPort() != 0) {
            plainServer = bind(config.plainPort(), null);
            log.info("listening on {}:{} (plain WebSocket and HTTP, for a TLS-terminating load balancer)",
                    bound.getHostString(), plainAddress().getPort());
        }
        return bound;
    }

    /** The bound plain port next to a TLS port, or null when there is none. */
    public InetSocketAddress plainAddress() {
        return plainServer == null ? null : (InetSocketAddress) plainServer.localAddress();
    }

    /** True when the main port speaks TLS. */
    public boolean tls() {
        return tls != null;
    }

    private Channel bind(int port, SslContext ssl) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Netty's buffer stays small: frames wait in Outbound instead, where a goodbye can
                // drop them (a slow reader) rather than queue behind them.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        pipeline.build(ch.pipeline(), ssl);
                    }
                });
        if (Epoll.isAvailable()) {
            // Keeps room in each socket's send buffer for a goodbye (see Goodbye).
            b.childOption(EpollChannelOption.TCP_NOTSENT_LOWAT, (long) Goodbye.NOTSENT_LOWAT);
        }
        return b.bind(config.host(), port).sync().channel();
    }

    /** Stops accepting new connections; existing ones stay until closed. */
    public void stopAccepting() {
        accepting = false;
        for (Channel c : new Channel[] {server, plainServer}) {
            if (c != null) {
                c.close().syncUninterruptibly();
            }
        }
    }

    /**
     * Shutdown, after {@link #stopAccepting}: every WebSocket connection answers its queued and new
     * requests with SHUTTING_DOWN from now on (those being handled finish) and keeps reading, so no
     * request is left unanswered in a socket. Waits (at most {@code max}) until the requests being
     * handled are done; true if they all are.
     */
    public boolean stopRequests(Duration max) throws InterruptedException {
        List<Connection> all = pipeline.connections();
        all.forEach(Connection::stopRequests);
        return awaitAll(all, Connection::requestsDone, max);
    }

    /**
     * Shutdown, once the core has made durable and answered what it accepted: every WebSocket
     * connection gets what is queued to it, then the goodbye {@code reason} and its close code. A
     * connection still reading requests gets its goodbye once it has been quiet briefly, at most
     * {@code quietMax} from now. Waits until all are closed, at most {@code quietMax} plus
     * {@code closeMax}; true if they all are.
     */
    public boolean sayGoodbye(ErrorCode reason, String message, Duration quietMax, Duration closeMax)
            throws InterruptedException {
        List<Connection> all = pipeline.connections();
        long deadline = System.nanoTime() + quietMax.toNanos();
        all.forEach(c -> c.closeWhenQuiet(reason, message, deadline));
        return awaitAll(all, c -> !c.open(), quietMax.plus(closeMax));
    }

    private static boolean awaitAll(List<Connection> all, Predicate<Connection> done, Duration max)
            throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        for (Connection c : all) {
            while (!done.test(c)) {
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
                Thread.sleep(5);
            }
        }
        return true;
    }

    @Override
    public void close() {
        stopAccepting();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
