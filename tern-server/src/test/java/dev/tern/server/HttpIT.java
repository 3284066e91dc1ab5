package dev.tern.server;

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
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP endpoints of docs/openapi.yaml, with a real HTTP client. */
class HttpIT {
    @TempDir
    Path dir;

    @Test
    void healthRootAndErrorsAnswerAsDocumented() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (TestNode node = TestNode.start(dir)) {
            String base = "http://127.0.0.1:" + node.server.address().getPort();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
            assertThat(health.headers().firstValue("content-type")).hasValue("application/json");

            HttpResponse<String> root = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(root.body()).contains("\"websocket\":\"/ws\"").contains("tern.v1.proto");

            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/nope")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/ws")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/healthz"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        }
    }

    @Test
    void browsersGetTheWebClientAndNoPathLeavesIt() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (TestNode node = TestNode.start(dir)) {
            int port = node.server.address().getPort();
            String base = "http://127.0.0.1:" + port;
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/"))
                    .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
            assertThat(page.headers().firstValue("cache-control")).hasValue("no-cache");
            assertThat(page.headers().firstValue("content-security-policy")).isPresent();
            assertThat(page.body()).contains("<script type=\"module\" src=\"app.js\">");
            String etag = page.headers().firstValue("etag").orElseThrow();
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/index.html")).header("If-None-Match", etag).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(304);

            HttpResponse<String> js = http.send(HttpRequest.newBuilder(URI.create(base + "/app.js")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(js.statusCode()).isEqualTo(200);
            assertThat(js.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
            assertThat(js.headers().firstValue("x-content-type-options")).hasValue("nosniff");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/style.css")).build(),
                    HttpResponse.BodyHandlers.ofString()).headers().firstValue("content-type")).hasValue("text/css; charset=utf-8");
            // Non-browsers keep the JSON description at / and always find it at /api.
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/api")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).contains("\"websocket\":\"/ws\"");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/nope.js")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);

            // Nothing outside the web client's class-path folder: "..", encoded or not, hidden files, backslashes.
            for (String target : new String[]{"/../dev/tern/server/version.properties", "/%2e%2e/server/version.properties",
                    "/sdk/%2E%2E/%2e%2e/server/version.properties", "/..%2f..%2fserver/version.properties",
                    "/%252e%252e/server/version.properties", "/..\\server/version.properties"}) {
                assertThat(rawStatus(port, target)).as(target).isIn(400, 404);
            }
            assertThat(rawStatus(port, "/.hidden")).isEqualTo(404);
            assertThat(rawStatus(port, "//etc/passwd")).isEqualTo(404);
        }
    }

    /** The status of a GET sent byte for byte, as no URI class would normalize it. */
    private static int rawStatus(int port, String target) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(head.substring(9, 12));
        }
    }
}
