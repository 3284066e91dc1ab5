package dev.tern.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * Reads what the server wrote the way a client would: HTTP/1.1 responses, and after a
 * {@code 101 Switching Protocols} the server's (unmasked) WebSocket frames. Anything a client could
 * not parse is recorded as a problem rather than thrown, so the fuzz targets can name it.
 */
final class ServerOutput {

    /** One HTTP response as the client saw it; a body is copied out. */
    record Response(int status, HttpHeaders headers, int bodyLength, boolean answersHead) {}

    /** One WebSocket frame from the server; payload copied out. */
    record Frame(Class<? extends WebSocketFrame> type, byte[] payload, int closeStatus) {}

    final List<Response> responses = new ArrayList<>();
    final List<Frame> frames = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    private final Queue<HttpMethod> requestMethods;
    private final EmbeddedChannel client;

    /** @param requestMethods the methods of the requests the server took, in order (drained while parsing) */
    ServerOutput(Queue<HttpMethod> requestMethods) {
        this.requestMethods = requestMethods;
        this.client = new EmbeddedChannel(new Decoder(), new HttpObjectAggregator(1 << 20), new Collector());
    }

    /** Parses the next bytes the server wrote. */
    void feed(byte[] bytes) {
        client.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    /** Ends the stream (the server closed): a response cut short is a problem. */
    void end() {
        client.finishAndReleaseAll();
    }

    /** HTTP/1.1 responses are matched to requests in order; a HEAD answer carries no body. */
    private final class Decoder extends HttpResponseDecoder {
        private boolean lastAnsweredHead;

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage msg) {
            int code = ((HttpResponse) msg).status().code();
            boolean interim = code >= 100 && code < 200 && code != 101;
            if (!interim) {
                HttpMethod m = requestMethods.poll();
                if (m == null) {
                    problems.add("response " + code + " answers no request");
                }
                lastAnsweredHead = HttpMethod.HEAD.equals(m);
            }
            return super.isContentAlwaysEmpty(msg) || !interim && lastAnsweredHead;
        }
    }

    private final class Collector extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof FullHttpResponse res) {
                    if (res.decoderResult().isFailure()) {
                        problems.add("unparsable response: " + res.decoderResult().cause());
                        return;
                    }
                    int code = res.status().code();
                    responses.add(new Response(code, res.headers().copy(), res.content().readableBytes(),
                            code != 100 && ctx.pipeline().get(Decoder.class).lastAnsweredHead));
                    if (code == 101) {
                        // From here on the server speaks WebSocket; its frames are not masked.
                        ctx.pipeline().addAfter(ctx.pipeline().context(Decoder.class).name(), "ws",
                                new WebSocket13FrameDecoder(false, false, 1 << 20));
                    }
                } else if (msg instanceof WebSocketFrame f) {
                    frames.add(new Frame(f.getClass(), ByteBufUtil.getBytes(f.content()),
                            f instanceof CloseWebSocketFrame c ? c.statusCode() : 0));
                } else if (msg instanceof ByteBuf b && b.isReadable()) {
                    problems.add(b.readableBytes() + " bytes after a response that did not switch protocols");
                }
            } finally {
                io.netty.util.ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            problems.add("unparsable output: " + cause);
        }
    }
}
