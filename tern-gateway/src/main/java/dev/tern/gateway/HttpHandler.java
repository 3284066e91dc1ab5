package dev.tern.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * Plain HTTP on the shared port: health and a pointer to the WebSocket. Answers on the event loop.
 * Stateless, so one instance serves every connection; removed from a connection once it upgrades.
 */
@io.netty.channel.ChannelHandler.Sharable
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String NAME = "http";
    private final BooleanSupplier healthy;

    HttpHandler(BooleanSupplier healthy) {
        this.healthy = healthy;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        String path; // requests the decoder could not parse were answered by MalformedRequests
        try {
            path = new QueryStringDecoder(req.uri()).path();
        } catch (IllegalArgumentException badEscape) { // e.g. "/%zz"
            reject(ctx, HttpResponseStatus.BAD_REQUEST, "{\"error\":\"malformed request target\"}");
            return;
        }
        boolean read = req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD;
        if (!read) {
            respond(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "{\"error\":\"method not allowed\"}");
            return;
        }
        switch (path) {
            case "/healthz" -> {
                boolean ok = healthy.getAsBoolean();
                respond(ctx, req, ok ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                        ok ? "{\"status\":\"ok\"}" : "{\"status\":\"unavailable\"}");
            }
            case "/" -> respond(ctx, req, HttpResponseStatus.OK,
                    "{\"service\":\"tern\",\"websocket\":\"/ws\",\"subprotocols\":[\"tern.v1.json\",\"tern.v1.proto\"]}");
            case "/ws" -> respond(ctx, req, HttpResponseStatus.BAD_REQUEST,
                    "{\"error\":\"/ws expects a WebSocket upgrade\"}");
            default -> respond(ctx, req, HttpResponseStatus.NOT_FOUND, "{\"error\":\"not found\"}");
        }
    }

    /** Answers a request that cannot be served and closes the connection. */
    static void reject(ChannelHandlerContext ctx, HttpResponseStatus status, String json) {
        FullHttpResponse res = response(status, json, false);
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String json) {
        FullHttpResponse res = response(status, json, req.method() == HttpMethod.HEAD);
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(res);
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** A JSON response; one to HEAD has the length of the body it leaves out. */
    private static FullHttpResponse response(HttpResponseStatus status, String json, boolean head) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return res;
    }
}
