package dev.tern.gateway.media;

import dev.tern.core.media.MediaFile;
import dev.tern.core.media.MediaLibrary;
import dev.tern.gateway.wire.Refused;
import dev.tern.protocol.v1.ErrorCode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

import java.io.IOException;
import java.io.InputStream;

/**
 * {@code GET /media/{id}} and {@code /media/{id}/thumbnail}: the bytes with a strong ETag (the
 * SHA-256: content never changes under an id), private caching, and single byte ranges (206, or
 * 416 for a range outside the file). A conditional request that matches gets 304.
 */
final class Downloads {
    /** Types a browser may show in place: pictures it decodes without script. Others download. */
    private static final java.util.Set<String> INLINE = java.util.Set.of("image/jpeg", "image/png", "image/gif",
            "image/webp", "image/bmp");

    private Downloads() {
    }

    /** Serves the media to a reader the caller already authorized; true when the connection may stay. */
    static boolean serve(ChannelHandlerContext ctx, HttpRequest req, MediaLibrary media, MediaFile m,
                         boolean thumbnail) throws IOException {
        if (thumbnail && !m.hasThumbnail()) {
            throw new Refused(ErrorCode.MEDIA_NOT_FOUND, "this media has no thumbnail");
        }
        long size = thumbnail ? m.thumbnailSize() : m.size();
        String etag = "\"" + (thumbnail ? m.thumbnailSha256() : m.sha256()) + "\"";
        HttpHeaders h = new DefaultHttpHeaders()
                .set(HttpHeaderNames.CONTENT_TYPE, thumbnail ? "image/jpeg" : m.mime())
                .set(HttpHeaderNames.ETAG, etag)
                .set(HttpHeaderNames.ACCEPT_RANGES, "bytes")
                // Bytes under an id never change, but who may read them can: private caches only.
                .set(HttpHeaderNames.CACHE_CONTROL, "private, max-age=86400, immutable")
                .set("X-Content-Type-Options", "nosniff")
                // Uploaded bytes are other users' content on this origin: opened as a page they must
                // not run script (an SVG or HTML "picture" would otherwise read the page's session).
                .set("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; media-src 'self'; "
                        + "style-src 'unsafe-inline'");
        String mime = thumbnail ? "image/jpeg" : m.mime();
        if (!INLINE.contains(mime) && !mime.startsWith("audio/") && !mime.startsWith("video/")) {
            h.set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment");
        }
        if (etag.equals(req.headers().get(HttpHeaderNames.IF_NONE_MATCH))) {
            FullHttpResponse r = MediaHttp.empty(HttpResponseStatus.NOT_MODIFIED);
            r.headers().add(h);
            MediaHttp.send(ctx, r, true);
            return true;
        }
        long[] range = range(req.headers().get(HttpHeaderNames.RANGE), size);
        if (range != null && range.length == 0) {
            FullHttpResponse r = MediaHttp.empty(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
            r.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
            MediaHttp.send(ctx, r, true);
            return true;
        }
        long from = range == null ? 0 : range[0];
        long length = range == null ? size : range[1] - range[0] + 1;
        HttpResponseStatus status = range == null ? HttpResponseStatus.OK : HttpResponseStatus.PARTIAL_CONTENT;
        if (range != null) {
            h.set(HttpHeaderNames.CONTENT_RANGE, "bytes " + range[0] + "-" + range[1] + "/" + size);
        }
        h.set(HttpHeaderNames.CONTENT_LENGTH, length);
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        h.set(HttpHeaderNames.CONNECTION, keepAlive ? "keep-alive" : "close");
        if (req.method() == HttpMethod.HEAD || length == 0) {
            FullHttpResponse r = MediaHttp.empty(status);
            r.headers().set(h);
            MediaHttp.send(ctx, r, keepAlive);
            return keepAlive;
        }
        try (InputStream in = media.open(m, thumbnail, from, length)) {
            MediaHttp.stream(ctx, MediaHttp.head(status, h), in);
        }
        if (!keepAlive) {
            ctx.close();
        }
        return keepAlive;
    }

    /**
     * The single range a Range header asks for, as {first, last} inclusive; null when there is no
     * usable Range header (serve everything); an empty array when it cannot be satisfied.
     * Multi-range requests are served whole (allowed by RFC 9110).
     */
    static long[] range(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.contains(",")) {
            return null;
        }
        String spec = header.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash).strip();
            String b = spec.substring(dash + 1).strip();
            long first;
            long last;
            if (a.isEmpty()) { // the last N bytes
                long n = Long.parseLong(b);
                if (n <= 0) {
                    return new long[0];
                }
                first = Math.max(0, size - n);
                last = size - 1;
            } else {
                first = Long.parseLong(a);
                last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            }
            if (first < 0 || first >= size || last < first) {
                return new long[0];
            }
            return new long[]{first, last};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
