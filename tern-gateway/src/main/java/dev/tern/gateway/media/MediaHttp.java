package dev.tern.gateway.media;

import dev.tern.core.Failure;
import dev.tern.core.Principal;
import dev.tern.core.media.MediaFile;
import dev.tern.core.media.Upload;
import dev.tern.core.media.Uploads;
import dev.tern.core.node.Core;
import dev.tern.gateway.http.HttpHandler;
import dev.tern.gateway.wire.Refused;
import dev.tern.protocol.v1.ErrorCode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * The media endpoints under {@code /media}: tus 1.0 resumable uploads (creation,
 * creation-with-upload, expiration, termination) and downloads with ranges. Sits in front of the
 * aggregator so bodies stream: a request here is taken off the event loop onto a virtual thread,
 * which reads the body through a {@link BodyStream} and writes the response, and the channel reads
 * only as fast as that thread consumes. Other requests pass through untouched. One per connection.
 */
public final class MediaHttp extends ChannelInboundHandlerAdapter {
    public static final String NAME = "media";
    static final String TUS_VERSION = "1.0.0";
    private static final int CHUNK = 64 * 1024;
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final Core core;
    private BodyStream body; // event loop only: the body of the exchange in progress, if any
    private boolean active;  // event loop only: an exchange is in progress

    public MediaHttp(Core core) {
        this.core = core;
    }

    static boolean isMedia(String uri) {
        return uri.equals("/media") || uri.startsWith("/media/") || uri.startsWith("/media?");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req && !active && req.decoderResult().isSuccess() && isMedia(req.uri())) {
            active = true;
            ctx.channel().config().setAutoRead(false);
            boolean hasBody = HttpUtil.getContentLength(req, 0L) > 0 || HttpUtil.isTransferEncodingChunked(req);
            body = new BodyStream(ctx);
            if (msg instanceof HttpContent c) {
                body.offer(c);
                c.release();
            }
            BodyStream stream = body;
            Thread.ofVirtual().name("tern-media").start(() -> exchange(ctx, req, stream, hasBody));
            return;
        }
        if (active && msg instanceof HttpContent c) {
            body.offer(c);
            c.release();
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (body != null) {
            body.broken();
        }
        ctx.fireChannelInactive();
    }

    /** On the virtual thread: one request and its response. */
    private void exchange(ChannelHandlerContext ctx, HttpRequest req, BodyStream in, boolean hasBody) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        try {
            keepAlive &= route(ctx, req, in, hasBody);
        } catch (Failure | Refused f) {
            keepAlive &= !hasBody || in.ended(); // an unread body cannot be skipped: close instead
            send(ctx, error(Refused.of(f)), keepAlive);
        } catch (RuntimeException | IOException e) {
            org.slf4j.LoggerFactory.getLogger(MediaHttp.class).warn("media request {} {} failed", req.method(),
                    req.uri(), e);
            keepAlive = false;
            send(ctx, error(new Refused(ErrorCode.INTERNAL, "internal error")), false);
        } finally {
            in.close();
            boolean reuse = keepAlive;
            ctx.channel().eventLoop().execute(() -> {
                active = false;
                body = null;
                if (reuse) {
                    ctx.channel().config().setAutoRead(true);
                }
            });
        }
    }

    /** Serves the request; false when the connection must close after it. */
    private boolean route(ChannelHandlerContext ctx, HttpRequest req, BodyStream in, boolean hasBody)
            throws IOException {
        QueryStringDecoder q = new QueryStringDecoder(req.uri());
        String[] parts = q.path().split("/"); // "", "media", ...
        HttpMethod m = req.method();
        if (parts.length >= 3 && parts[2].equals("uploads")) {
            if (m == HttpMethod.OPTIONS && parts.length == 3) {
                FullHttpResponse r = empty(HttpResponseStatus.NO_CONTENT);
                r.headers().set("Tus-Version", TUS_VERSION)
                        .set("Tus-Extension", "creation,creation-with-upload,expiration,termination")
                        .set("Tus-Max-Size", core.uploads().maxBytes());
                send(ctx, tus(r), true);
                return true;
            }
            Principal p = principal(req);
            requireTus(req);
            if (m == HttpMethod.POST && parts.length == 3) {
                return create(ctx, req, in, hasBody, p);
            }
            if (parts.length == 4 && m == HttpMethod.HEAD) {
                return head(ctx, p, parts[3]);
            }
            if (parts.length == 4 && m == HttpMethod.PATCH) {
                requireOffsetStream(req);
                return appended(ctx, core.uploads().append(p, parts[3], offsetOf(req), in), HttpResponseStatus.NO_CONTENT,
                        in);
            }
            if (parts.length == 4 && m == HttpMethod.DELETE) {
                core.uploads().cancel(p, parts[3]);
                send(ctx, tus(empty(HttpResponseStatus.NO_CONTENT)), true);
                return true;
            }
            throw new Refused(ErrorCode.INVALID_ARGUMENT, "no such upload endpoint");
        }
        if (parts.length == 4 && parts[3].equals("link") && m == HttpMethod.POST) {
            Principal p = principal(req);
            var link = core.media().link(p.userId(), parts[2], q.parameters().containsKey("thumbnail"));
            byte[] json = ("{\"url\":\"" + link.url() + "\",\"expiresAtMs\":" + link.expiresAtMs() + "}")
                    .getBytes(StandardCharsets.UTF_8);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(json));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json").set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            HttpUtil.setContentLength(r, json.length);
            send(ctx, r, true);
            return true;
        }
        if ((parts.length == 3 || parts.length == 4 && parts[3].equals("thumbnail"))
                && (m == HttpMethod.GET || m == HttpMethod.HEAD)) {
            long user = q.parameters().containsKey("sig")
                    ? core.media().verify(parts[2], first(q, "u"), first(q, "exp"), first(q, "sig"))
                    : principal(req).userId();
            return Downloads.serve(ctx, req, core.media(), core.media().readable(user, parts[2]), parts.length == 4);
        }
        throw new Refused(ErrorCode.MEDIA_NOT_FOUND, "no such media endpoint");
    }

    private boolean create(ChannelHandlerContext ctx, HttpRequest req, BodyStream in, boolean hasBody, Principal p)
            throws IOException {
        long size;
        try {
            size = Long.parseLong(req.headers().get("Upload-Length", "-1").strip());
        } catch (NumberFormatException e) {
            throw new Refused(ErrorCode.INVALID_ARGUMENT, "Upload-Length must be a number");
        }
        String[] meta = metadata(req.headers().get("Upload-Metadata", ""));
        Upload u = core.uploads().create(p, size, meta[1], meta[0]);
        if (!hasBody) {
            FullHttpResponse r = empty(HttpResponseStatus.CREATED);
            r.headers().set(HttpHeaderNames.LOCATION, "/media/uploads/" + u.uploadId())
                    .set("Upload-Expires", HTTP_DATE.format(Instant.ofEpochMilli(u.expiresAtMs())))
                    .set("Upload-Offset", 0);
            send(ctx, tus(r), true);
            return true;
        }
        requireOffsetStream(req);
        return appended(ctx, core.uploads().append(p, u.uploadId(), 0, in), HttpResponseStatus.CREATED, in);
    }

    private boolean appended(ChannelHandlerContext ctx, Uploads.Appended a, HttpResponseStatus status, BodyStream in) {
        Upload u = a.upload();
        FullHttpResponse r = empty(status);
        r.headers().set("Upload-Offset", u.offset())
                .set("Upload-Expires", HTTP_DATE.format(Instant.ofEpochMilli(u.expiresAtMs())));
        if (status == HttpResponseStatus.CREATED) {
            r.headers().set(HttpHeaderNames.LOCATION, "/media/uploads/" + u.uploadId());
        }
        if (a.complete()) {
            r.headers().set("Tern-Media-Id", a.mediaId());
        }
        boolean keep = in.ended();
        send(ctx, tus(r), keep);
        return keep;
    }

    private boolean head(ChannelHandlerContext ctx, Principal p, String id) {
        FullHttpResponse r = empty(HttpResponseStatus.OK);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        try {
            Upload u = core.uploads().get(p, id);
            r.headers().set("Upload-Offset", u.offset()).set("Upload-Length", u.size())
                    .set("Upload-Expires", HTTP_DATE.format(Instant.ofEpochMilli(u.expiresAtMs())));
        } catch (Failure gone) {
            // A finished upload: its media carries the same id. Tell the client it is complete.
            MediaFile m = core.media().readable(p.userId(), id);
            if (m.uploaderId() != p.userId()) {
                throw gone;
            }
            r.headers().set("Upload-Offset", m.size()).set("Upload-Length", m.size()).set("Tern-Media-Id", m.mediaId());
        }
        send(ctx, tus(r), true);
        return true;
    }

    private Principal principal(HttpRequest req) {
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION, "");
        if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new Refused(ErrorCode.NOT_AUTHENTICATED, "send the session ticket as Authorization: Bearer <ticket>");
        }
        return core.accounts().authenticate(auth.substring(7).strip());
    }

    private static void requireTus(HttpRequest req) {
        if (req.method() != HttpMethod.OPTIONS && !TUS_VERSION.equals(req.headers().get("Tus-Resumable"))) {
            throw new Refused(ErrorCode.UNSUPPORTED_VERSION, "Tus-Resumable: 1.0.0 is required");
        }
    }

    private static void requireOffsetStream(HttpRequest req) {
        if (!"application/offset+octet-stream".equals(req.headers().get(HttpHeaderNames.CONTENT_TYPE))) {
            throw new Refused(ErrorCode.MEDIA_TYPE_REFUSED, "Content-Type must be application/offset+octet-stream");
        }
    }

    private static long offsetOf(HttpRequest req) {
        try {
            return Long.parseLong(req.headers().get("Upload-Offset", "").strip());
        } catch (NumberFormatException e) {
            throw new Refused(ErrorCode.INVALID_ARGUMENT, "Upload-Offset is required");
        }
    }

    /** {filename, filetype} from tus Upload-Metadata ("key base64,key base64"). */
    static String[] metadata(String header) {
        String[] out = {"", ""};
        for (String pair : header.split(",")) {
            String[] kv = pair.strip().split(" ", 2);
            if (kv.length != 2) {
                continue;
            }
            String value;
            try {
                value = new String(Base64.getDecoder().decode(kv[1].strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new Refused(ErrorCode.INVALID_ARGUMENT, "Upload-Metadata values must be base64");
            }
            switch (kv[0]) {
                case "filename", "name" -> out[0] = value;
                case "filetype", "type" -> out[1] = value;
                default -> { }
            }
        }
        return out;
    }

    private static String first(QueryStringDecoder q, String name) {
        var v = q.parameters().get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    static FullHttpResponse empty(HttpResponseStatus status) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        HttpUtil.setContentLength(r, 0);
        return r;
    }

    private static FullHttpResponse tus(FullHttpResponse r) {
        r.headers().set("Tus-Resumable", TUS_VERSION);
        return r;
    }

    /** The HTTP form of a refusal: its status, and a small JSON body with the stable code. */
    static FullHttpResponse error(Refused f) {
        HttpResponseStatus status = switch (f.code()) {
            case NOT_AUTHENTICATED, TICKET_INVALID, TICKET_EXPIRED -> HttpResponseStatus.UNAUTHORIZED;
            case FORBIDDEN -> HttpResponseStatus.FORBIDDEN;
            case MEDIA_NOT_FOUND -> HttpResponseStatus.NOT_FOUND;
            case MEDIA_TOO_LARGE, QUOTA_EXCEEDED -> HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
            case MEDIA_TYPE_REFUSED -> HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE;
            case UPLOAD_RATE -> HttpResponseStatus.TOO_MANY_REQUESTS;
            case UPLOAD_OFFSET_MISMATCH -> HttpResponseStatus.CONFLICT;
            case UNSUPPORTED_VERSION -> HttpResponseStatus.PRECONDITION_FAILED;
            case INVALID_ARGUMENT -> HttpResponseStatus.BAD_REQUEST;
            case STORAGE_UNAVAILABLE, OVERLOADED, SHUTTING_DOWN -> HttpResponseStatus.SERVICE_UNAVAILABLE;
            default -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
        };
        String message = f.getMessage() == null ? "" : HttpHandler.jsonEscape(f.getMessage());
        byte[] json = ("{\"code\":\"" + f.code().name() + "\",\"message\":\"" + message + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(json));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json").set("Tus-Resumable", TUS_VERSION);
        HttpUtil.setContentLength(r, json.length);
        if (status == HttpResponseStatus.UNAUTHORIZED) {
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        if (f.retryAfterMs() > 0) {
            r.headers().set(HttpHeaderNames.RETRY_AFTER, Math.max(1, (f.retryAfterMs() + 999) / 1000));
        }
        return r;
    }

    /** Writes a whole response from any thread; closes the connection after it unless {@code keepAlive}. */
    static void send(ChannelHandlerContext ctx, FullHttpResponse r, boolean keepAlive) {
        HttpUtil.setKeepAlive(r, keepAlive);
        ChannelFuture f = ctx.writeAndFlush(r);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Streams {@code in} as the body of {@code head}, waiting while the channel is not writable. */
    static void stream(ChannelHandlerContext ctx, HttpResponse head, InputStream in) throws IOException {
        ctx.write(head);
        byte[] buf = new byte[CHUNK];
        int n;
        while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
            ChannelFuture f = ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(buf, 0, n)));
            if (!ctx.channel().isWritable()) {
                f.syncUninterruptibly(); // the peer reads slower than the disk: wait for it
            }
            if (!ctx.channel().isActive()) {
                throw new IOException("the client went away");
            }
        }
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    static HttpResponse head(HttpResponseStatus status, HttpHeaders headers) {
        DefaultHttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        r.headers().set(headers);
        return r;
    }
}
