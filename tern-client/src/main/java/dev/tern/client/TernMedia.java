package dev.tern.client;

import dev.tern.protocol.v1.ErrorCode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Files over the server's HTTP media endpoints: resumable uploads (tus 1.0) and downloads, with the
 * session's ticket. An upload is sent in chunks; when a chunk fails (a dropped connection, a server
 * restart) the client asks the server where the upload stands and goes on from there, so a broken
 * connection costs at most one chunk. Blocking calls: use them off UI and event threads.
 */
public final class TernMedia {
    /** Bytes per PATCH: what a broken connection can cost at most. */
    public static final int CHUNK = 8 << 20;
    private static final int ATTEMPTS = 8;

    private final HttpClient http;
    private final URI base;
    private final Supplier<String> ticket;

    /** @param base the server's HTTP address (e.g. http://127.0.0.1:8080/) */
    public TernMedia(HttpClient http, URI base, Supplier<String> ticket) {
        this.http = http;
        this.base = base;
        this.ticket = ticket;
    }

    /** Uploads {@code file} as {@code mime}; returns the media id to send in a message. */
    public String upload(Path file, String mime) throws IOException, InterruptedException {
        return upload(file, mime, n -> { });
    }

    /** The same, telling {@code progress} the bytes the server has after each chunk. */
    public String upload(Path file, String mime, LongConsumer progress) throws IOException, InterruptedException {
        long size = Files.size(file);
        String meta = "filename " + b64(file.getFileName().toString()) + ",filetype " + b64(mime);
        HttpResponse<String> created = send(request("media/uploads").header("Upload-Length", Long.toString(size))
                .header("Upload-Metadata", meta).POST(HttpRequest.BodyPublishers.noBody()).build());
        expect(created, 201);
        URI upload = base.resolve(created.headers().firstValue("Location").orElseThrow());
        return resume(upload, file, progress);
    }

    /**
     * Continues (or finishes) an upload created earlier, e.g. by a process that died: sends what the
     * server does not have yet. Returns the media id.
     */
    public String resume(URI upload, Path file, LongConsumer progress) throws IOException, InterruptedException {
        long size = Files.size(file);
        int failures = 0;
        while (true) {
            HttpResponse<String> head = send(request(upload).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            expect(head, 200);
            long offset = Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
            progress.accept(offset);
            var done = head.headers().firstValue("Tern-Media-Id");
            if (done.isPresent()) {
                return done.get();
            }
            long length = Math.min(CHUNK, size - offset);
            try {
                HttpResponse<String> r = send(request(upload).header("Upload-Offset", Long.toString(offset))
                        .header("Content-Type", "application/offset+octet-stream")
                        .method("PATCH", HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(() -> slice(file, offset, length)), length))
                        .build());
                if (r.statusCode() == 409) {
                    continue; // the server has a different offset: ask again
                }
                expect(r, 204);
                failures = 0;
                var media = r.headers().firstValue("Tern-Media-Id");
                if (media.isPresent()) {
                    progress.accept(size);
                    return media.get();
                }
            } catch (IOException broken) {
                if (++failures >= ATTEMPTS) {
                    throw broken;
                }
                Thread.sleep(Math.min(5_000, 100L << failures)); // then HEAD says how far it got
            }
        }
    }

    /** Downloads the whole file (or its thumbnail) to {@code to}, replacing it atomically. */
    public void download(String mediaId, boolean thumbnail, Path to) throws IOException, InterruptedException {
        Path part = to.resolveSibling(to.getFileName() + ".part");
        HttpResponse<Path> r = http.send(request("media/" + mediaId + (thumbnail ? "/thumbnail" : "")).GET().build(),
                HttpResponse.BodyHandlers.ofFile(part));
        if (r.statusCode() != 200) {
            Files.deleteIfExists(part);
            throw failure(r.statusCode(), "download");
        }
        Files.move(part, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Bytes {@code [from, to]} of the file as a stream (a Range request). */
    public InputStream open(String mediaId, long from, long to) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = http.send(request("media/" + mediaId).header("Range", "bytes=" + from + "-" + to)
                .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 206 && r.statusCode() != 200) {
            r.body().close();
            throw failure(r.statusCode(), "download");
        }
        return r.body();
    }

    /** A signed link (path and query) that downloads the media without a ticket until it expires. */
    public String link(String mediaId) throws IOException, InterruptedException {
        HttpResponse<String> r = send(request("media/" + mediaId + "/link").POST(HttpRequest.BodyPublishers.noBody())
                .build());
        expect(r, 200);
        String body = r.body();
        int at = body.indexOf("\"url\":\"") + 7;
        return body.substring(at, body.indexOf('"', at));
    }

    private HttpRequest.Builder request(String path) {
        return request(base.resolve(path));
    }

    private HttpRequest.Builder request(URI uri) {
        String t = ticket.get();
        if (t == null) {
            throw new TernException(ErrorCode.NOT_AUTHENTICATED, "log in first", false, 0);
        }
        return HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).header("Authorization", "Bearer " + t)
                .header("Tus-Resumable", "1.0.0");
    }

    private HttpResponse<String> send(HttpRequest r) throws IOException, InterruptedException {
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(HttpResponse<String> r, int status) {
        if (r.statusCode() != status) {
            throw failure(r.statusCode(), r.body());
        }
    }

    /** The server's refusal with its stable code (the JSON body's "code"), or INTERNAL when there is none. */
    static TernException failure(int status, String body) {
        ErrorCode code = ErrorCode.INTERNAL;
        int at = body == null ? -1 : body.indexOf("\"code\":\"");
        if (at >= 0) {
            try {
                code = ErrorCode.valueOf(body.substring(at + 8, body.indexOf('"', at + 8)));
            } catch (IllegalArgumentException unknown) {
                // a newer server's code
            }
        }
        return new TernException(code, "HTTP " + status + ": " + body, status == 429 || status == 503, 0);
    }

    private static InputStream slice(Path file, long offset, long length) {
        try {
            InputStream in = Files.newInputStream(file);
            in.skipNBytes(offset);
            return new java.io.FilterInputStream(in) {
                long left = length;

                @Override
                public int read() throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int b = super.read();
                    if (b >= 0) {
                        left--;
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(b, off, (int) Math.min(len, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }
            };
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
