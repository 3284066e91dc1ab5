package dev.tern.gateway;

import dev.tern.gateway.http.HttpHandler;
import dev.tern.gateway.http.MalformedRequests;
import dev.tern.gateway.media.MediaHttp;
import dev.tern.protocol.FrameCodec;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;


/**
 * The handlers of one accepted connection, from bytes to requests: TLS when the port has it, HTTP,
 * the WebSocket upgrade at {@code /ws}, WebSocket framing and the {@link Connection}. Kept apart from
 * {@link Gateway}'s socket setup so that exactly this pipeline can be driven on an embedded channel
 * (see the fuzz targets).
 */
final class ConnectionPipeline {
    static final int MAX_HTTP_REQUEST = 16 * 1024;
    private static final MalformedRequests MALFORMED = new MalformedRequests();

    private final GatewayConfig config;
    private final Requests requests;
    private final AddressLimit addressLimit;
    private final IdleSweeper sweeper = new IdleSweeper();
    // Shared by every connection: per-connection copies cost ~100 bytes of heap per session.
    private final WebSocketServerProtocolConfig ws;
    private final HttpHandler http;
    private final dev.tern.core.node.Core media; // null: no /media endpoints (the fuzz targets' gateway)

    /** @param http the HTTP endpoints, shared by every connection */
    ConnectionPipeline(GatewayConfig config, Requests requests, HttpHandler http, AddressLimit addressLimit) {
        this(config, requests, http, addressLimit, null);
    }

    /** The same, with the streamed media endpoints of {@code media}. */
    ConnectionPipeline(GatewayConfig config, Requests requests, HttpHandler http, AddressLimit addressLimit,
                       dev.tern.core.node.Core media) {
        this.media = media;
        this.config = config;
        this.requests = requests;
        this.http = http;
        this.addressLimit = addressLimit;
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
    }

    /** The open connections. */
    java.util.List<Connection> connections() {
        return sweeper.all();
    }

    /** Adds a new connection's handlers to its (empty) pipeline and starts its timeouts; ssl may be null. */
    void build(ChannelPipeline p, SslContext ssl) {
        if (ssl != null) {
            // A handshake that stalls holds no session yet, so the login deadline bounds it too. Bad
            // TLS input fails the handshake; the Connection closes the channel and logs at debug only.
            SslHandler handler = ssl.newHandler(p.channel().alloc());
            handler.setHandshakeTimeoutMillis(config.authTimeout().toMillis());
            p.addLast(handler);
        }
        Connection connection = new Connection(requests, config, sweeper, addressLimit);
        p.addLast(new IdleSweeper.Activity(connection));
        p.addLast(new HttpServerCodec(4096, 8192, 8192));
        if (media != null) {
            p.addLast(MediaHttp.NAME, new MediaHttp(media)); // before the aggregator: media bodies stream
        }
        p.addLast(new HttpObjectAggregator(MAX_HTTP_REQUEST));
        p.addLast(MalformedRequests.NAME, MALFORMED);
        p.addLast(new WebSocketServerProtocolHandler(ws));
        p.addLast(new WebSocketFrameAggregator(config.maxFrameBytes()));
        p.addLast(HttpHandler.NAME, http);
        p.addLast(connection);
        sweeper.track(p.channel().eventLoop(), connection);
    }
}
