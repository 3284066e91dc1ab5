package dev.tern.gateway.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
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
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Plain HTTP on the shared port: health, a pointer to the WebSocket and the web client's files
 * ({@link StaticFiles}). Answers on the event loop.
 * Stateless, so one instance serves every connection; removed from a connection once it upgrades.
 */
@io.netty.channel.ChannelHandler.Sharable
public final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    public static final String NAME = "http";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /** What the endpoints report. */
    public interface Status {
        /** The node is up and accepting connections (liveness). */
        boolean alive();

        /** Why the node should not get traffic now, or null when it should (readiness). */
        String notReadyReason();

        /** The meters in Prometheus text format. */
        String metrics();

        /** Takes an online backup (blocking; never called on an event loop); returns its directory. */
        Path backup();
    }

    /** What {@code GET /api} (and {@code GET /} without Accept: text/html) answers. */
    static final String DESCRIPTION =
            "{\"service\":\"tern\",\"websocket\":\"/ws\",\"subprotocols\":[\"tern.v1.json\",\"tern.v1.proto\"]}";
    /** The web client loads only its own files and talks only to this server. */
    private static final String PAGE_POLICY = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' blob: data:; "
            + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private final Status status;
    private final StaticFiles web = new StaticFiles(HttpHandler.class.getClassLoader());
    private final AdminConfig admin;
    private final byte[] adminToken;

    public HttpHandler(Status status, AdminConfig admin) {
        this.status = status;
        this.admin = admin;
        this.adminToken = admin.token().getBytes(StandardCharsets.UTF_8);
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
        if (path.startsWith("/admin/") && admin.enabled()) {
            admin(ctx, req, path);
            return;
        }
        boolean read = req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD;
        if (!read) {
            respond(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "{\"error\":\"method not allowed\"}");
            return;
        }
        switch (path) {
            case "/healthz" -> {
                boolean ok = status.alive();
                respond(ctx, req, ok ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                        ok ? "{\"status\":\"ok\"}" : "{\"status\":\"unavailable\"}");
            }
            case "/readyz" -> {
                String why = status.notReadyReason();
                respond(ctx, req, why == null ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                        why == null ? "{\"status\":\"ready\"}" : "{\"status\":\"not ready\",\"reason\":\"" + why + "\"}");
            }
            case "/metrics" -> respond(ctx, req, HttpResponseStatus.OK, PROMETHEUS_TEXT, status.metrics());
            case "/" -> {
                // Browsers (Accept: text/html) get the web client; other clients the service description.
                String accept = req.headers().get(HttpHeaderNames.ACCEPT, "");
                StaticFiles.File index = accept.contains("text/html") ? web.find(StaticFiles.INDEX) : null;
                if (index != null) {
                    serveFile(ctx, req, index, true);
                } else {
                    respond(ctx, req, HttpResponseStatus.OK, DESCRIPTION);
                }
            }
            case "/api" -> respond(ctx, req, HttpResponseStatus.OK, DESCRIPTION);
            case "/ws" -> respond(ctx, req, HttpResponseStatus.BAD_REQUEST,
                    "{\"error\":\"/ws expects a WebSocket upgrade\"}");
            // A request target without a leading slash ("?x", "*", "x") names no file.
            default -> {
                if (path.startsWith("/")) {
                    staticFile(ctx, req, path.substring(1));
                } else {
                    respond(ctx, req, HttpResponseStatus.NOT_FOUND, "{\"error\":\"not found\"}");
                }
            }
        }
    }

    /** A file of the web client, or 404; a path with ".." (however encoded) is refused with 400. */
    private void staticFile(ChannelHandlerContext ctx, FullHttpRequest req, String relative) {
        if (relative.contains("..") || relative.contains("\\") || relative.indexOf('\0') >= 0) {
            respond(ctx, req, HttpResponseStatus.BAD_REQUEST, "{\"error\":\"bad path\"}");
            return;
        }
        StaticFiles.File f = StaticFiles.safe(relative) ? web.find(relative) : null;
        if (f == null) {
            respond(ctx, req, HttpResponseStatus.NOT_FOUND, "{\"error\":\"not found\"}");
        } else {
            serveFile(ctx, req, f, relative.equals(StaticFiles.INDEX));
        }
    }

    private static void serveFile(ChannelHandlerContext ctx, FullHttpRequest req, StaticFiles.File f, boolean page) {
        boolean notModified = f.etag().equals(req.headers().get(HttpHeaderNames.IF_NONE_MATCH));
        boolean head = req.method() == HttpMethod.HEAD || notModified;
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                notModified ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(f.body()));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, f.contentType());
        if (!notModified) {
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, f.body().length);
        }
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, f.cacheControl());
        res.headers().set(HttpHeaderNames.ETAG, f.etag());
        res.headers().set("X-Content-Type-Options", "nosniff");
        if (page) {
            res.headers().set("Content-Security-Policy", PAGE_POLICY);
            res.headers().set("Referrer-Policy", "no-referrer");
            res.headers().set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT);
        }
        send(ctx, req, res);
    }

    /** POST /admin/backup with the bearer token: an online backup, taken off the event loop. */
    private void admin(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION, "");
        byte[] offered = (auth.startsWith("Bearer ") ? auth.substring(7) : "").getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(offered, adminToken)) { // constant time: no timing oracle on the token
            respond(ctx, req, HttpResponseStatus.UNAUTHORIZED, "{\"error\":\"admin token required\"}");
            return;
        }
        if (!path.equals("/admin/backup")) {
            respond(ctx, req, HttpResponseStatus.NOT_FOUND, "{\"error\":\"not found\"}");
            return;
        }
        if (req.method() != HttpMethod.POST) {
            respond(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "{\"error\":\"use POST\"}");
            return;
        }
        FullHttpRequest head = new DefaultFullHttpRequest(req.protocolVersion(), req.method(), req.uri(),
                Unpooled.EMPTY_BUFFER, req.headers().copy(), req.trailingHeaders().copy());
        Thread.ofVirtual().name("tern-backup").start(() -> {
            long t0 = System.nanoTime();
            try {
                Path dir = status.backup();
                long ms = (System.nanoTime() - t0) / 1_000_000;
                respond(ctx, head, HttpResponseStatus.OK, "{\"path\":\"" + jsonEscape(dir.toString())
                        + "\",\"ms\":" + ms + "}");
            } catch (RuntimeException e) {
                respond(ctx, head, HttpResponseStatus.INTERNAL_SERVER_ERROR, "{\"error\":\"backup failed: "
                        + jsonEscape(String.valueOf(e.getMessage())) + "\"}");
            }
        });
    }

    public static String jsonEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Answers a request that cannot be served and closes the connection. */
    static void reject(ChannelHandlerContext ctx, HttpResponseStatus status, String json) {
        FullHttpResponse res = response(status, HttpHeaderValues.APPLICATION_JSON.toString(), json, false);
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String json) {
        respond(ctx, req, status, HttpHeaderValues.APPLICATION_JSON.toString(), json);
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status,
                                String contentType, String text) {
        send(ctx, req, response(status, contentType, text, req.method() == HttpMethod.HEAD));
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse res) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(res);
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** A response; one to HEAD has the length of the body it leaves out. */
    private static FullHttpResponse response(HttpResponseStatus status, String contentType, String text, boolean head) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return res;
    }
}
