package dev.tern.server;

import dev.tern.client.ClientOptions;
import dev.tern.client.TernClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 200 MiB upload to a server process with a 160 MiB heap, cut off twice mid-transfer (the socket
 * closed with a reset, as a dropped connection does), then resumed by the SDK: the file arrives
 * with the right SHA-256, and the server's heap, sampled from its /metrics throughout, stays far
 * below the file's size.
 */
class MediaResumeIT {
    static final int MIB = 1 << 20;
    static final long SIZE = 200L * MIB;

    @TempDir
    Path dir;

    @Test
    void aLargeUploadSurvivesTwoBrokenConnectionsAndTheServerNeverHoldsTheFile() throws Exception {
        Path file = dir.resolve("big.bin");
        String expected = write(file);
        int port = ServerProcess.freePort();
        try (ServerProcess server = ServerProcess.start(dir.resolve("data"), port, Map.of(), "-Xmx160m")) {
            URI base = URI.create("http://127.0.0.1:" + port + "/");
            AtomicLong maxHeap = new AtomicLong();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = Thread.ofPlatform().daemon().start(() -> sample(base, maxHeap, sampling));
            try (TernClient alice = get(TernClient.connect(ClientOptions.of(URI.create("ws://127.0.0.1:" + port + "/ws")),
                    new Recorder()))) {
                get(alice.register("alice", "password-alice"));
                get(alice.login("alice", "password-alice", "test"));
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> created = http.send(HttpRequest.newBuilder(base.resolve("media/uploads"))
                        .header("Authorization", "Bearer " + alice.ticket()).header("Tus-Resumable", "1.0.0")
                        .header("Upload-Length", Long.toString(SIZE))
                        .header("Upload-Metadata", "filename YmlnLmJpbg==,filetype YXBwbGljYXRpb24vb2N0ZXQtc3RyZWFt")
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(created.statusCode()).isEqualTo(201);
                URI upload = base.resolve(created.headers().firstValue("Location").orElseThrow());

                long first = cutOff(upload, alice.ticket(), file, 0, 60L * MIB);
                assertThat(first).isBetween(1L, 60L * MIB);
                long second = cutOff(upload, alice.ticket(), file, first, 60L * MIB);
                assertThat(second).isGreaterThan(first).isLessThanOrEqualTo(first + 60L * MIB);

                String mediaId = alice.media().resume(upload, file, n -> { });
                Path back = dir.resolve("back.bin");
                alice.media().download(mediaId, false, back);
                assertThat(Files.size(back)).isEqualTo(SIZE);
                assertThat(sha256(back)).isEqualTo(expected);
                Files.delete(back);
                System.out.printf("200 MiB upload broken at %d and %d bytes, resumed; largest server heap seen %d MiB%n",
                        first, second, maxHeap.get() / MIB);
            } finally {
                sampling.set(false);
                sampler.join();
            }
            assertThat(maxHeap.get()).as("heap samples").isPositive();
            assertThat(maxHeap.get()).isLessThan(SIZE / 2);
        }
    }

    /**
     * Sends {@code count} bytes of a PATCH that announces the whole rest, then resets the connection;
     * returns the offset the server reports once it has settled.
     */
    private static long cutOff(URI upload, String ticket, Path file, long from, long count) throws Exception {
        try (Socket s = new Socket(upload.getHost(), upload.getPort()); InputStream in = Files.newInputStream(file)) {
            OutputStream out = s.getOutputStream();
            String head = "PATCH " + upload.getPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ticket
                    + "\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: " + from
                    + "\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: " + (SIZE - from) + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            in.skipNBytes(from);
            byte[] buf = new byte[MIB];
            for (long sent = 0; sent < count; sent += buf.length) {
                int n = in.readNBytes(buf, 0, (int) Math.min(buf.length, count - sent));
                out.write(buf, 0, n);
            }
            out.flush();
            s.setSoLinger(true, 0); // close with RST: a dropped connection, not a finished request
        }
        HttpClient http = HttpClient.newHttpClient();
        long last = -1;
        while (true) { // the server may still be writing what it received: wait until the offset holds
            HttpResponse<String> h = http.send(HttpRequest.newBuilder(upload).header("Authorization", "Bearer " + ticket)
                    .header("Tus-Resumable", "1.0.0").method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            long offset = Long.parseLong(h.headers().firstValue("Upload-Offset").orElseThrow());
            if (offset == last) {
                return offset;
            }
            last = offset;
            Thread.sleep(300);
        }
    }

    private static void sample(URI base, AtomicLong max, AtomicBoolean on) {
        HttpClient http = HttpClient.newHttpClient();
        while (on.get()) {
            try {
                String text = http.send(HttpRequest.newBuilder(base.resolve("metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                long used = 0;
                for (String line : text.split("\n")) {
                    if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                        used += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
                max.accumulateAndGet(used, Math::max);
                Thread.sleep(100);
            } catch (Exception e) {
                return;
            }
        }
    }

    private static String write(Path file) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        Random r = new Random(42);
        byte[] buf = new byte[MIB];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long i = 0; i < SIZE; i += MIB) {
                r.nextBytes(buf);
                d.update(buf);
                out.write(buf);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[MIB];
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }
}
