package dev.tern.server;

import dev.tern.client.TernClient;
import dev.tern.protocol.v1.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.tern.server.BadInputIT.parse;
import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** /metrics in Prometheus text format and /readyz, read with a real HTTP client while the node works. */
class MetricsIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    static HttpResponse<String> fetch(TernServer server, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + path);
        return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of one sample line, e.g. {@code tern_sends_total} or {@code tern_errors_total{code="X"}}. */
    static double sample(String text, String nameAndLabels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(nameAndLabels) + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(text);
        if (!m.find()) {
            throw new AssertionError("no sample " + nameAndLabels);
        }
        return Double.parseDouble(m.group(1));
    }

    @Test
    void metricsCountWhatTheNodeDid() throws Exception {
        try (TestNode node = TestNode.start(dir)) {
            Recorder bobsView = new Recorder();
            TernClient bob = node.user("bob", bobsView);
            TernClient alice = node.user("alice", new Recorder());
            for (int i = 0; i < 25; i++) {
                get(alice.sendTextTo("bob", "m" + i));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> bobsView.messages().size() == 25);
            try (RawSocket anonymous = RawSocket.json(node.uri())) {
                anonymous.send("{\"id\":\"1\",\"sync\":{\"afterPts\":\"0\"}}");
                assertThat(parse(anonymous.next()).getError().getCode()).isEqualTo(ErrorCode.NOT_AUTHENTICATED);

                HttpResponse<String> res = fetch(node.server, "/metrics");
                assertThat(res.statusCode()).isEqualTo(200);
                assertThat(res.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
                String m = res.body();
                assertThat(sample(m, "tern_sends_total")).isGreaterThanOrEqualTo(25);
                assertThat(sample(m, "tern_send_ack_seconds_count")).isGreaterThanOrEqualTo(25);
                assertThat(m).contains("tern_send_ack_seconds_bucket{le=");
                assertThat(sample(m, "tern_frames_in_total")).isGreaterThanOrEqualTo(25 + 4);
                assertThat(sample(m, "tern_frames_out_total")).isGreaterThanOrEqualTo(25 * 2);
                assertThat(sample(m, "tern_connections")).isGreaterThanOrEqualTo(3);
                assertThat(sample(m, "tern_sessions")).isEqualTo(2);
                assertThat(sample(m, "tern_store_commits_total")).isPositive();
                assertThat(sample(m, "tern_commit_batches_total")).isGreaterThanOrEqualTo(25);
                assertThat(sample(m, "tern_commit_group_size_count")).isEqualTo(sample(m, "tern_store_commits_total"));
                assertThat(sample(m, "tern_store_write_seconds_count")).isPositive();
                assertThat(sample(m, "tern_request_queue_seconds_count")).isPositive();
                assertThat(sample(m, "tern_errors_total{code=\"NOT_AUTHENTICATED\"}")).isEqualTo(1);
                assertThat(sample(m, "tern_goodbyes_total{reason=\"SLOW_READER\"}")).isZero();
                assertThat(m).contains("tern_commit_backlog_seconds").contains("jvm_memory_used_bytes")
                        .contains("jvm_gc_").contains("process_cpu_usage");
            }
            assertThat(fetch(node.server, "/readyz").statusCode()).isEqualTo(200);
            bob.close();
            alice.close();
        }
    }

    @Test
    void readinessFailsWhileStoreWritesFailAndComesBack() throws Exception {
        FaultyStore[] faulty = new FaultyStore[1];
        try (TernServer server = TernServer.start(ServerConfig.load(null, Map.of(), TestNode.settings(dir)),
                InstantSource.system(), s -> faulty[0] = new FaultyStore(s))) {
            assertThat(fetch(server, "/readyz").body()).isEqualTo("{\"status\":\"ready\"}");
            faulty[0].failWrites.set(true);
            try (RawSocket s = RawSocket.json(URI.create("ws://127.0.0.1:" + server.address().getPort() + "/ws"))) {
                s.send("{\"id\":\"1\",\"register\":{\"username\":\"carol\",\"password\":\"password-carol\"}}");
                assertThat(parse(s.next()).getError().getCode()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
                HttpResponse<String> notReady = fetch(server, "/readyz");
                assertThat(notReady.statusCode()).isEqualTo(503);
                assertThat(notReady.body()).contains("store write failed");
                assertThat(fetch(server, "/healthz").statusCode()).isEqualTo(200); // alive, just not ready

                faulty[0].failWrites.set(false);
                s.send("{\"id\":\"2\",\"register\":{\"username\":\"carol\",\"password\":\"password-carol\"}}");
                assertThat(parse(s.next()).hasRegistered()).isTrue();
                assertThat(fetch(server, "/readyz").statusCode()).isEqualTo(200);
            }
        }
    }
}
