package dev.tern.gateway;

import dev.tern.gateway.http.AdminConfig;
import dev.tern.gateway.http.HttpHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.util.ReferenceCountUtil;

import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The gateway's real per-connection pipeline ({@link ConnectionPipeline}) on an embedded channel,
 * with observers between its handlers: what requests the HTTP codec produced, which of them reached
 * the handlers whole, which WebSocket messages reached the {@link Connection}, and every exception
 * a handler raised. Everything runs on the calling thread, so one fuzz input is one deterministic
 * conversation (apart from the connection's mailbox thread, see {@link #awaitHanded}).
 */
final class EmbeddedGateway {
    /**
     * Small limits so that short fuzz inputs reach the "too large" paths: 1 KiB WebSocket messages.
     * The HTTP limits are the server's own (4 KiB request line, 8 KiB headers, 16 KiB body).
     */
    static {
        LeakReports.install(); // before this class allocates the first buffer of the test JVM
    }

    static final GatewayConfig CONFIG = new GatewayConfig("127.0.0.1", 0, 1024, Duration.ofSeconds(10),
            Duration.ofSeconds(90), 64 * 1024, 256, 1, 1000, null, 0);

    /** A node that is up and ready; the admin endpoints are off, so backups are never asked for. */
    private static final HttpHandler.Status HEALTHY = new HttpHandler.Status() {
        @Override
        public boolean alive() {
            return true;
        }

        @Override
        public String notReadyReason() {
            return null;
        }

        @Override
        public String metrics() {
            return "";
        }

        @Override
        public java.nio.file.Path backup() {
            throw new UnsupportedOperationException("admin endpoints are off");
        }
    };

    final TrackingAllocator alloc = new TrackingAllocator();
    final RecordingRequests requests = new RecordingRequests();
    final EmbeddedChannel channel;
    /** Methods of requests the HTTP decoder produced while the channel was open, in order. */
    final Queue<HttpMethod> requestHeads = new ConcurrentLinkedQueue<>();
    int requestsStarted;
    /** Requests that reached the handlers whole (after aggregation) while the channel was open. */
    int requestsWhole;
    /** Of those, requests the decoder could not parse. */
    int requestsMalformed;
    /** WebSocket text or binary messages that reached the Connection while the channel was open. */
    int messagesDelivered;
    final List<Throwable> unexpected = new ArrayList<>();
    final List<Throwable> expected = new ArrayList<>();
    private final ServerOutput output = new ServerOutput(requestHeads);

    EmbeddedGateway() throws Exception {
        ConnectionPipeline pipeline = new ConnectionPipeline(CONFIG, requests, new HttpHandler(HEALTHY, AdminConfig.OFF),
                new AddressLimit(CONFIG.maxConnectionsPerAddress()));
        channel = new EmbeddedChannel(false, false);
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                pipeline.build(ch.pipeline(), null);
                observe(ch.pipeline());
            }
        });
        channel.register();
    }

    private void observe(ChannelPipeline p) {
        p.addAfter(p.context(HttpServerCodec.class).name(), "fuzz-heads", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpRequest req && ctx.channel().isOpen()) {
                    requestsStarted++;
                    requestHeads.add(req.method());
                }
                ctx.fireChannelRead(msg);
            }
        });
        p.addAfter(p.context(HttpObjectAggregator.class).name(), "fuzz-whole", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof FullHttpRequest req && ctx.channel().isOpen()) {
                    requestsWhole++;
                    if (req.decoderResult().isFailure()) {
                        requestsMalformed++;
                    }
                }
                ctx.fireChannelRead(msg);
            }
        });
        // Right before the Connection, so every exception a handler in front of it raised passes here.
        p.addBefore(p.context(Connection.class).name(), "fuzz-messages", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if ((msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) && ctx.channel().isOpen()) {
                    messagesDelivered++;
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                if (cause instanceof ClosedChannelException) {
                    // A write that lost the race with the close: the aggregator, say, answering an
                    // Expect header of a request the close cut short. Nothing was left to answer.
                } else if (!isProtocolError(cause)) {
                    unexpected.add(cause);
                } else if (ctx.channel().isOpen()) {
                    expected.add(cause); // once closed (say, mid-message), there is nothing left to close
                }
                ctx.fireExceptionCaught(cause);
            }
        });
    }

    /**
     * The exceptions a peer can provoke by breaking the protocol, which the pipeline answers by
     * closing; anything else (a decoder wrapping a bug, a handler throwing) is a finding.
     */
    static boolean isProtocolError(Throwable t) {
        if (t instanceof DecoderException d && d.getCause() != null) {
            return false; // a decoder wraps whatever its decode() threw: a bug, not the peer's fault
        }
        return t instanceof CorruptedFrameException || t instanceof TooLongFrameException
                || t instanceof DecoderException || t instanceof WebSocketHandshakeException
                || t instanceof PrematureChannelClosureException;
    }

    /** Hands bytes to the server as one read, runs what that queued and parses what it wrote. */
    void receive(byte[] bytes) {
        if (!channel.isOpen()) {
            return;
        }
        ByteBuf in = alloc.buffer(bytes.length).writeBytes(bytes);
        channel.writeInbound(in);
        channel.runPendingTasks();
        drainOutput();
    }

    private void drainOutput() {
        for (Object o; (o = channel.readOutbound()) != null; ) {
            try {
                if (o instanceof ByteBuf b) {
                    output.feed(ByteBufUtil.getBytes(b));
                } else if (!(o instanceof CloseWebSocketFrame && output.responses.stream().noneMatch(r -> r.status() == 101))) {
                    output.problems.add("written without an encoder: " + o);
                }
                // else: Netty's WebSocket protocol handler offers a close frame on every close(), even on
                // a connection that never upgraded. A socket refuses to write it (not a ByteBuf) and
                // the close goes ahead, which is what dropping it here amounts to.
            } finally {
                ReferenceCountUtil.release(o);
            }
        }
    }

    /** Waits (bounded) until the connection's mailbox thread has handed on {@code n} requests. */
    boolean awaitHanded(int n) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (requests.handed.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(0, 100_000);
        }
        return requests.handed.get() == n;
    }

    /** Closes the connection (as a peer hanging up would), then returns what the client saw. */
    ServerOutput close() {
        channel.runPendingTasks();
        drainOutput();
        channel.close();
        channel.runPendingTasks();
        drainOutput();
        channel.finishAndReleaseAll();
        output.end();
        return output;
    }

    /** Runs what is due (scheduled tasks too) and parses what the server wrote meanwhile. */
    ServerOutput pump() {
        channel.runPendingTasks();
        channel.runScheduledPendingTasks();
        drainOutput();
        return output;
    }

    /** The connection handler of this channel. */
    Connection connection() {
        return channel.pipeline().get(Connection.class);
    }

    /** What the server wrote so far, parsed. */
    ServerOutput output() {
        return output;
    }
}
