package dev.tern.gateway.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/**
 * Answers a request the HTTP decoder could not parse with 400 (414, 431) and closes the connection,
 * before anything else sees it. The decoder discards everything after such a request, so the
 * connection can serve nothing more; and the WebSocket handshake must not run on one either (it
 * would upgrade on whatever headers were read before the broken one). Stateless and shared; removed
 * from a connection once it upgrades.
 */
@ChannelHandler.Sharable
public final class MalformedRequests extends ChannelInboundHandlerAdapter {
    public static final String NAME = "malformed-requests";

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest req && req.decoderResult().isFailure()) {
            HttpResponseStatus status = statusFor(req.decoderResult().cause());
            req.release();
            HttpHandler.reject(ctx, status, "{\"error\":\"malformed request\"}");
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private static HttpResponseStatus statusFor(Throwable decodeFailure) {
        if (decodeFailure instanceof TooLongHttpLineException) {
            return HttpResponseStatus.REQUEST_URI_TOO_LONG;
        }
        if (decodeFailure instanceof TooLongHttpHeaderException) {
            return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        }
        return HttpResponseStatus.BAD_REQUEST;
    }
}
