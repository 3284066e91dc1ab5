package dev.tern.gateway.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web client's files, read from the class path under {@code dev/tern/web/} (the server's build
 * copies {@code web/} there and the JavaScript SDK's {@code clients/js/dist} to {@code sdk/}).
 * A file is read once and kept: the files are few and small, and a class-path lookup is an
 * in-memory index probe, so serving stays on the event loop.
 */
final class StaticFiles {
    static final String ROOT = "dev/tern/web/";
    static final String INDEX = "index.html";

    /** One file: its bytes, media type and strong validator. */
    record File(byte[] body, String contentType, String etag, String cacheControl) {
    }

    /** Letters, digits, '-', '_', '.' in segments separated by single '/'; no segment starts with '.'. */
    private static final Pattern SAFE = Pattern.compile("(?:[A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final int MAX_PATH = 200;

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("txt", "text/plain; charset=utf-8"));

    private final ClassLoader loader;
    private final Map<String, File> cache = new ConcurrentHashMap<>();

    StaticFiles(ClassLoader loader) {
        this.loader = loader;
    }

    /** Whether a path names a file that may be served: no "..", no hidden files, no odd characters. */
    static boolean safe(String relative) {
        return relative.length() <= MAX_PATH && SAFE.matcher(relative).matches() && !relative.contains("..");
    }

    /** Whether the web client is on the class path. */
    boolean present() {
        return find(INDEX) != null;
    }

    /**
     * The file at a decoded request path relative to the root ("" is index.html), or null when
     * there is none; callers check {@link #safe} first.
     */
    File find(String relative) {
        String name = relative.isEmpty() ? INDEX : relative;
        if (!safe(name)) {
            return null;
        }
        File f = cache.get(name);
        if (f != null) {
            return f;
        }
        try (InputStream in = loader.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                return null; // misses are not cached: the cache holds only files that exist
            }
            byte[] body = in.readAllBytes();
            int dot = name.lastIndexOf('.');
            String type = TYPES.getOrDefault(dot < 0 ? "" : name.substring(dot + 1), "application/octet-stream");
            // The files' names carry no content hash: every use revalidates (a 304 costs one round trip).
            f = new File(body, type, etag(body), "no-cache");
            cache.put(name, f);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String etag(byte[] body) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(d, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
