package dev.tern.gateway;

import dev.tern.protocol.FrameCodec;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import java.util.function.BooleanSupplier;

/**
 * The handlers of one accepted connection, from bytes to requests: HTTP, the WebSocket upgrade at
 * {@code /ws}, WebSocket framing and the {@link Connection}. Kept apart from {@link Gateway}'s socket
 * setup so that exactly this pipeline can be driven on an embedded channel (see the fuzz targets).
 */
final class ConnectionPipeline {
    static final int MAX_HTTP_REQUEST = 16 * 1024;
    private static final MalformedRequests MALFORMED = new MalformedRequests();

    private final GatewayConfig config;
    private final Requests requests;
    private final IdleSweeper sweeper = new IdleSweeper();
    // Shared by every connection: per-connection copies cost ~100 bytes of heap per session.
    private final WebSocketServerProtocolConfig ws;
    private final HttpHandler http;

    /** @param healthy what {@code /healthz} reports (false once the server stops accepting) */
    ConnectionPipeline(GatewayConfig config, Requests requests, BooleanSupplier healthy) {
        this.config = config;
        this.requests = requests;
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(config.maxFrameBytes())
                .closeOnProtocolViolation(false)
                .allowExtensions(false)
                .build();
        this.ws = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/ws")
                .subprotocols(FrameCodec.JSON_SUBPROTOCOL + "," + FrameCodec.BINARY_SUBPROTOCOL)
                .decoderConfig(decoder)
                .handshakeTimeoutMillis(config.authTimeout().toMillis())
                .dropPongFrames(true)
                .build();
        this.http = new HttpHandler(healthy);
    }

    /** Adds a new connection's handlers to its (empty) pipeline and starts its timeouts. */
    void build(ChannelPipeline p) {
        Connection connection = new Connection(requests, config, sweeper);
        p.addLast(new IdleSweeper.Activity(connection));
        p.addLast(new HttpServerCodec(4096, 8192, 8192));
        p.addLast(new HttpObjectAggregator(MAX_HTTP_REQUEST));
        p.addLast(MalformedRequests.NAME, MALFORMED);
        p.addLast(new WebSocketServerProtocolHandler(ws));
        p.addLast(new WebSocketFrameAggregator(config.maxFrameBytes()));
        p.addLast(HttpHandler.NAME, http);
        p.addLast(connection);
        sweeper.track(p.channel().eventLoop(), connection);
    }
}
