package dev.tern.server;

import dev.tern.client.TernClient;
import dev.tern.client.TernException;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.Send;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Uploads, downloads, access, limits, thumbnails and collection of media, over real HTTP. */
class MediaIT {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    static String base(TestNode node) {
        return "http://127.0.0.1:" + node.server.address().getPort();
    }

    static Path random(Path dir, String name, int bytes, long seed) throws Exception {
        byte[] data = new byte[bytes];
        new Random(seed).nextBytes(data);
        return Files.write(dir.resolve(name), data);
    }

    static Path png(Path dir, int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, w, h);
        g.dispose();
        Path p = dir.resolve("picture-" + w + "x" + h + ".png");
        ImageIO.write(img, "png", p.toFile());
        return p;
    }

    /** A mono 8-bit PCM WAV of {@code seconds} at {@code rate} samples per second. */
    static Path wav(Path dir, int rate, int seconds) throws Exception {
        int data = rate * seconds;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + data).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate).putShort((short) 1)
                .putShort((short) 8).put("data".getBytes()).putInt(data);
        return Files.write(dir.resolve("sound.wav"), b.array());
    }

    /** The smallest MP4 a header reader needs: ftyp, then moov holding an mvhd (version 0). */
    static Path mp4(Path dir, int timescale, int duration) throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16 + 8 + 108);
        b.putInt(16).put("ftyp".getBytes()).put("isom".getBytes()).putInt(0x200);
        b.putInt(8 + 108).put("moov".getBytes());
        b.putInt(108).put("mvhd".getBytes()).putInt(0).putInt(0).putInt(0).putInt(timescale).putInt(duration);
        return Files.write(dir.resolve("clip.mp4"), b.array());
    }

    static HttpResponse<byte[]> fetch(TestNode node, String path, String ticket, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base(node) + path)).GET();
        if (ticket != null) {
            b.header("Authorization", "Bearer " + ticket);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static void refused(ThrowingRunnable r, ErrorCode code) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(TernException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void mediaTravelsInMessagesAndOnlyReadersOfThoseMessagesMayDownloadIt() throws Exception {
        try (TestNode node = TestNode.start(dir.resolve("data"), Map.of("media.link-ttl", "1s"))) {
            try (TernClient alice = node.user("alice", new Recorder()); TernClient bob = node.user("bob", new Recorder());
                 TernClient carol = node.user("carol", new Recorder())) {
                Path file = random(dir, "notes.bin", 1 << 20, 1);
                byte[] bytes = Files.readAllBytes(file);
                String id = alice.media().upload(file, "application/octet-stream");
                // Before it is sent, only its uploader reads it.
                assertThat(fetch(node, "/media/" + id, alice.ticket()).statusCode()).isEqualTo(200);
                assertThat(fetch(node, "/media/" + id, bob.ticket()).statusCode()).isEqualTo(404);
                assertThat(fetch(node, "/media/" + id, null).statusCode()).isEqualTo(401);

                long group = get(alice.createGroup("files", List.of("bob"))).getConversationId();
                long seq = get(alice.send(Send.newBuilder().setConversationId(group).setClientMsgId("m1")
                        .setText("the notes").setMediaId(id))).getSeq();
                Message m = get(bob.history(group, 0, 10)).getMessagesList().stream()
                        .filter(x -> x.getSeq() == seq).findFirst().orElseThrow();
                assertThat(m.getMedia().getMediaId()).isEqualTo(id);
                assertThat(m.getMedia().getSize()).isEqualTo(bytes.length);
                assertThat(m.getMedia().getSha256()).isEqualTo(sha256(bytes));
                assertThat(m.getText()).isEqualTo("the notes");

                // A member reads it whole and by ranges; an outsider gets 404 like for no media at all.
                HttpResponse<byte[]> whole = fetch(node, "/media/" + id, bob.ticket());
                assertThat(whole.statusCode()).isEqualTo(200);
                assertThat(whole.body()).isEqualTo(bytes);
                String etag = whole.headers().firstValue("ETag").orElseThrow();
                assertThat(whole.headers().firstValue("Cache-Control").orElseThrow()).contains("private");
                HttpResponse<byte[]> part = fetch(node, "/media/" + id, bob.ticket(), "Range", "bytes=1000-1999");
                assertThat(part.statusCode()).isEqualTo(206);
                assertThat(part.body()).isEqualTo(Arrays.copyOfRange(bytes, 1000, 2000));
                assertThat(part.headers().firstValue("Content-Range").orElseThrow())
                        .isEqualTo("bytes 1000-1999/" + bytes.length);
                assertThat(fetch(node, "/media/" + id, bob.ticket(), "Range", "bytes=-10").body())
                        .isEqualTo(Arrays.copyOfRange(bytes, bytes.length - 10, bytes.length));
                assertThat(fetch(node, "/media/" + id, bob.ticket(), "Range", "bytes=" + bytes.length + "-")
                        .statusCode()).isEqualTo(416);
                assertThat(fetch(node, "/media/" + id, bob.ticket(), "If-None-Match", etag).statusCode()).isEqualTo(304);
                try (InputStream in = bob.media().open(id, 5, 9)) {
                    assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 5, 10));
                }
                assertThat(fetch(node, "/media/" + id, carol.ticket()).statusCode()).isEqualTo(404);
                assertThat(fetch(node, "/media/" + "0".repeat(32), bob.ticket()).statusCode()).isEqualTo(404);
                refused(() -> get(carol.send(Send.newBuilder().setPeer("alice").setClientMsgId("c1").setMediaId(id))),
                        ErrorCode.MEDIA_NOT_FOUND);

                // Signed links: no ticket needed until they expire; a forged one is refused.
                String link = bob.media().link(id);
                assertThat(fetch(node, link, null).body()).isEqualTo(bytes);
                String forged = link.replaceAll("sig=[^&]*", "sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
                assertThat(fetch(node, forged, null).statusCode()).isEqualTo(403);
                assertThat(fetch(node, link.replaceAll("u=[0-9]+", "u=999999"), null).statusCode()).isEqualTo(403);
                Thread.sleep(1_200);
                assertThat(fetch(node, link, null).statusCode()).isEqualTo(403);

                // Removed from the group, bob can no longer read what was sent there.
                get(alice.removeMember(group, "bob"));
                assertThat(fetch(node, "/media/" + id, bob.ticket()).statusCode()).isEqualTo(404);
            }
        }
    }

    @Test
    void imagesGetThumbnailsAndTheSameFileIsStoredOnce() throws Exception {
        try (TestNode node = TestNode.start(dir.resolve("data"))) {
            try (TernClient alice = node.user("alice", new Recorder()); TernClient bob = node.user("bob", new Recorder())) {
                Path picture = png(dir, 800, 600);
                String a = alice.media().upload(picture, "image/png");
                String b = bob.media().upload(picture, "image/png");
                assertThat(a).isNotEqualTo(b);
                // One blob for the picture and one for its thumbnail, however many uploads.
                try (var files = Files.walk(dir.resolve("data/media/blobs"))) {
                    assertThat(files.filter(Files::isRegularFile).filter(p -> !p.toString().contains(".tmp"))).hasSize(2);
                }
                long direct = get(alice.send(Send.newBuilder().setPeer("bob").setClientMsgId("p").setMediaId(a)))
                        .getConversationId();
                Message m = get(bob.history(direct, 0, 1)).getMessages(0);
                assertThat(m.getMedia().getWidth()).isEqualTo(800);
                assertThat(m.getMedia().getHeight()).isEqualTo(600);
                assertThat(m.getMedia().getHasThumbnail()).isTrue();
                assertThat(m.getContentType()).isEqualTo("image/png");
                HttpResponse<byte[]> thumb = fetch(node, "/media/" + a + "/thumbnail", bob.ticket());
                assertThat(thumb.statusCode()).isEqualTo(200);
                assertThat(thumb.headers().firstValue("Content-Type")).hasValue("image/jpeg");
                // A picture is shown in place, but never runs script when opened as a page.
                HttpResponse<byte[]> full = fetch(node, "/media/" + a, bob.ticket());
                assertThat(full.headers().firstValue("Content-Disposition")).isEmpty();
                assertThat(full.headers().firstValue("Content-Security-Policy").orElseThrow()).startsWith("sandbox;");

                // An SVG (script-capable) is other users' content on this origin: downloaded, sandboxed.
                Path svg = dir.resolve("x.svg");
                Files.writeString(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(document.cookie)"
                        + "</script></svg>");
                String vector = alice.media().upload(svg, "image/svg+xml");
                HttpResponse<byte[]> served = fetch(node, "/media/" + vector, alice.ticket());
                assertThat(served.statusCode()).isEqualTo(200);
                assertThat(served.headers().firstValue("Content-Disposition")).hasValue("attachment");
                assertThat(served.headers().firstValue("Content-Security-Policy").orElseThrow())
                        .startsWith("sandbox;").contains("default-src 'none'");
                BufferedImage small = ImageIO.read(new ByteArrayInputStream(thumb.body()));
                assertThat(small.getWidth()).isEqualTo(320);
                assertThat(small.getHeight()).isEqualTo(240);

                // Audio and video: the duration from the container's header.
                String wav = alice.media().upload(wav(dir, 8000, 2), "audio/wav");
                String mp4 = alice.media().upload(mp4(dir, 1000, 2500), "video/mp4");
                get(alice.send(Send.newBuilder().setPeer("bob").setClientMsgId("w").setMediaId(wav)));
                get(alice.send(Send.newBuilder().setPeer("bob").setClientMsgId("v").setMediaId(mp4)));
                List<Message> latest = get(bob.history(direct, 0, 2)).getMessagesList();
                assertThat(latest.get(1).getMedia().getDurationMs()).isEqualTo(2000);
                assertThat(latest.get(0).getMedia().getDurationMs()).isEqualTo(2500);
                assertThat(latest.get(0).getMedia().getHasThumbnail()).isFalse();
            }
        }
    }

    @Test
    void limitsAndTypesAreRefusedWithTheirCodes() throws Exception {
        try (TestNode node = TestNode.start(dir.resolve("data"), Map.of("media.max-upload", "2MiB",
                "media.quota", "3MiB", "media.upload-rate", "2/1h"))) {
            try (TernClient alice = node.user("alice", new Recorder()); TernClient bob = node.user("bob", new Recorder())) {
                refused(() -> alice.media().upload(random(dir, "big.bin", 3 << 20, 2), "application/octet-stream"),
                        ErrorCode.MEDIA_TOO_LARGE);
                refused(() -> alice.media().upload(random(dir, "a.exe", 10, 3), "application/x-msdownload"),
                        ErrorCode.MEDIA_TYPE_REFUSED);
                // Declared a PNG, sent other bytes: refused when the bytes are seen.
                refused(() -> alice.media().upload(random(dir, "fake.png", 1000, 4), "image/png"),
                        ErrorCode.MEDIA_TYPE_REFUSED);
                alice.media().upload(random(dir, "one.bin", 2 << 20, 5), "application/octet-stream");
                refused(() -> alice.media().upload(random(dir, "two.bin", 2 << 20, 6), "application/octet-stream"),
                        ErrorCode.QUOTA_EXCEEDED);
                HttpResponse<String> limited = HTTP.send(HttpRequest.newBuilder(URI.create(base(node) + "/media/uploads"))
                        .header("Authorization", "Bearer " + alice.ticket()).header("Tus-Resumable", "1.0.0")
                        .header("Upload-Length", "10").header("Upload-Metadata", "filetype dGV4dC9wbGFpbg==")
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(limited.statusCode()).isEqualTo(429);
                assertThat(limited.headers().firstValue("Retry-After")).isPresent();
                assertThat(limited.body()).contains("UPLOAD_RATE");
                // Bad tus requests.
                assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base(node) + "/media/uploads"))
                        .header("Authorization", "Bearer " + bob.ticket()).header("Upload-Length", "10")
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode()).isEqualTo(412);
                assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base(node) + "/media/uploads"))
                        .header("Authorization", "Bearer not-a-ticket").header("Tus-Resumable", "1.0.0")
                        .header("Upload-Length", "10").POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            }
        }
    }

    @Test
    void mediaNobodySentIsCollectedAfterTheGracePeriod() throws Exception {
        try (TestNode node = TestNode.start(dir.resolve("data"), Map.of("media.grace", "1s",
                "media.sweep-interval", "200ms"))) {
            try (TernClient alice = node.user("alice", new Recorder()); TernClient bob = node.user("bob", new Recorder())) {
                String unsent = alice.media().upload(random(dir, "u.bin", 5000, 7), "application/octet-stream");
                String sent = alice.media().upload(random(dir, "s.bin", 6000, 8), "application/octet-stream");
                String recalled = alice.media().upload(random(dir, "r.bin", 7000, 9), "application/octet-stream");
                get(alice.send(Send.newBuilder().setPeer("bob").setClientMsgId("s").setMediaId(sent)));
                long seq = get(alice.send(Send.newBuilder().setPeer("bob").setClientMsgId("r").setMediaId(recalled)))
                        .getSeq();
                long direct = get(alice.sendTextTo("bob", "x")).getConversationId();
                get(alice.recall(direct, seq));
                Path blobs = dir.resolve("data/media/blobs");
                await().atMost(Duration.ofSeconds(20)).until(() -> fetch(node, "/media/" + unsent, alice.ticket())
                        .statusCode() == 404 && fetch(node, "/media/" + recalled, alice.ticket()).statusCode() == 404);
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    try (var files = Files.walk(blobs)) {
                        return files.filter(Files::isRegularFile).filter(p -> !p.toString().contains(".tmp")).count() == 1;
                    }
                });
                assertThat(fetch(node, "/media/" + sent, bob.ticket()).body())
                        .isEqualTo(Files.readAllBytes(dir.resolve("s.bin")));
            }
        }
    }

    static HttpResponse<String> tus(TestNode node, String method, String path, String ticket, byte[] body,
                                    String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base(node) + path))
                .header("Authorization", "Bearer " + ticket).header("Tus-Resumable", "1.0.0")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tusCreationWithUploadTerminationOffsetsAndExpiry() throws Exception {
        try (TestNode node = TestNode.start(dir.resolve("data"), Map.of("media.upload-ttl", "1s",
                "media.sweep-interval", "200ms"))) {
            try (TernClient alice = node.user("alice", new Recorder()); TernClient bob = node.user("bob", new Recorder())) {
                String t = alice.ticket();
                String meta = "filename bm90ZS50eHQ=,filetype dGV4dC9wbGFpbg=="; // note.txt, text/plain
                // A small file in one request (creation-with-upload).
                byte[] note = "hello, files".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                HttpResponse<String> one = tus(node, "POST", "/media/uploads", t, note, "Upload-Length",
                        Integer.toString(note.length), "Upload-Metadata", meta,
                        "Content-Type", "application/offset+octet-stream");
                assertThat(one.statusCode()).isEqualTo(201);
                assertThat(one.headers().firstValue("Upload-Offset")).hasValue(Integer.toString(note.length));
                String id = one.headers().firstValue("Tern-Media-Id").orElseThrow();
                assertThat(fetch(node, "/media/" + id, t).body()).isEqualTo(note);
                // HEAD of the finished upload says so (a client that lost the last response learns it).
                HttpResponse<String> done = tus(node, "HEAD", "/media/uploads/" + id, t, null);
                assertThat(done.headers().firstValue("Tern-Media-Id")).hasValue(id);

                // Offsets: a PATCH at the wrong offset is 409; someone else's upload is 404.
                HttpResponse<String> made = tus(node, "POST", "/media/uploads", t, null, "Upload-Length", "10",
                        "Upload-Metadata", meta);
                String upload = made.headers().firstValue("Location").orElseThrow();
                assertThat(tus(node, "PATCH", upload, t, "abc".getBytes(), "Upload-Offset", "5",
                        "Content-Type", "application/offset+octet-stream").statusCode()).isEqualTo(409);
                HttpResponse<String> part = tus(node, "PATCH", upload, t, "abcde".getBytes(), "Upload-Offset", "0",
                        "Content-Type", "application/offset+octet-stream");
                assertThat(part.statusCode()).isEqualTo(204);
                assertThat(part.headers().firstValue("Upload-Offset")).hasValue("5");
                assertThat(tus(node, "HEAD", upload, bob.ticket(), null).statusCode()).isEqualTo(404);
                assertThat(tus(node, "PATCH", upload, t, "fghij".getBytes(), "Upload-Offset", "5",
                        "Content-Type", "text/plain").statusCode()).isEqualTo(415);

                // Termination, then expiry of an abandoned upload.
                assertThat(tus(node, "DELETE", upload, t, null).statusCode()).isEqualTo(204);
                assertThat(tus(node, "HEAD", upload, t, null).statusCode()).isEqualTo(404);
                String abandoned = tus(node, "POST", "/media/uploads", t, null, "Upload-Length", "10",
                        "Upload-Metadata", meta).headers().firstValue("Location").orElseThrow();
                assertThat(tus(node, "HEAD", abandoned, t, null).statusCode()).isEqualTo(200);
                // The sweeper removes it (record and staged bytes) once it expired.
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    try (var staged = Files.list(dir.resolve("data/media/uploads"))) {
                        return staged.findAny().isEmpty();
                    }
                });
                assertThat(tus(node, "HEAD", abandoned, t, null).statusCode()).isEqualTo(404);
                HttpResponse<String> options = HTTP.send(HttpRequest.newBuilder(URI.create(base(node) + "/media/uploads"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(options.headers().firstValue("Tus-Extension").orElseThrow()).contains("creation-with-upload");
            }
        }
    }
}
