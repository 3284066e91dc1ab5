package dev.tern.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tern.client.ClientOptions;
import dev.tern.client.TernClient;
import dev.tern.protocol.v1.Message;
import dev.tern.server.TestCerts.Algorithm;
import dev.tern.server.TestCerts.KeyFormat;
import dev.tern.server.TestCerts.Pair;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** TLS on the main port (wss://, https://) and the plain port beside it, with real clients. */
class TlsIT {
    @TempDir
    static Path certs;
    @TempDir
    Path dir;

    static Pair rsa;
    static Pair ec;
    static Pair stranger;

    @BeforeAll
    static void makeCertificates() throws Exception {
        rsa = TestCerts.selfSigned(certs, "tern-rsa", Algorithm.RSA, KeyFormat.PKCS8);
        ec = TestCerts.selfSigned(certs, "tern-ec", Algorithm.EC, KeyFormat.TRADITIONAL);
        stranger = TestCerts.selfSigned(certs, "stranger", Algorithm.EC, KeyFormat.PKCS8);
    }

    private TestNode start(Pair pair, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(pair.settings());
        settings.putAll(extra);
        return TestNode.start(dir, settings);
    }

    private static URI wss(TestNode node) {
        return URI.create("wss://127.0.0.1:" + node.server.address().getPort() + "/ws");
    }

    private static ClientOptions trusting(URI uri) {
        return ClientOptions.of(uri).withTrustedCertificates(rsa.cert());
    }

    private static HttpResponse<String> fetch(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theSdkRegistersAndExchangesMessagesOverWss() {
        try (TestNode node = start(rsa, Map.of())) {
            assertThat(Main.readyMessage(node.server, dir))
                    .contains("wss://127.0.0.1:" + node.server.address().getPort() + "/ws")
                    .contains("https://127.0.0.1:" + node.server.address().getPort() + "/healthz")
                    .doesNotContain("ws://").doesNotContain("http://");
            // Binary frames one way, JSON the other.
            aliceAndBobTalk(node, trusting(wss(node)), trusting(wss(node)).withBinary(false));
        }
    }

    /** Alice and Bob register, log in and exchange a message each way over the given connections. */
    private static void aliceAndBobTalk(TestNode node, ClientOptions aliceConnects, ClientOptions bobConnects) {
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        try (TernClient alice = node.user("alice", ra, aliceConnects);
             TernClient bob = node.user("bob", rb, bobConnects)) {
            long chat = get(alice.sendTextTo("bob", "hello bob")).getConversationId();
            await().atMost(Duration.ofSeconds(10)).until(() -> rb.messages().size() == 1);
            get(bob.sendText(chat, "hello alice"));
            await().atMost(Duration.ofSeconds(10)).until(() -> ra.othersIn(chat, "alice").size() == 1);
            assertThat(rb.messages()).extracting(Message::getText).containsExactly("hello bob");
            assertThat(ra.othersIn(chat, "alice")).extracting(Message::getText).containsExactly("hello alice");
        }
    }

    @Test
    void httpsServesHealthWithAnRsaOrAnEcCertificate() throws Exception {
        for (Pair pair : List.of(rsa, ec)) {
            try (TestNode node = start(pair, Map.of())) {
                HttpClient https = HttpClient.newBuilder().sslContext(pair.trust()).build();
                HttpResponse<String> health = fetch(https, "https://127.0.0.1:" + node.server.address().getPort() + "/healthz");
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
                assertThat(health.sslSession()).get().extracting(s -> s.getProtocol()).isIn("TLSv1.3", "TLSv1.2");
                // By name too: the certificate names localhost and 127.0.0.1, and the client checks it.
                HttpResponse<String> byName = fetch(https, "https://localhost:" + node.server.address().getPort() + "/");
                assertThat(byName.body()).contains("\"websocket\":\"/ws\"");
            }
        }
    }

    @Test
    void onlyAeadSuitesWithForwardSecrecyAreAccepted() throws Exception {
        try (TestNode node = start(rsa, Map.of())) {
            int port = node.server.address().getPort();
            // A CBC suite from Netty's default list, not from Tern's: the server refuses it.
            assertThatThrownBy(() -> handshake(port, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"))
                    .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("Received fatal alert");
            assertThat(handshake(port, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")).isEqualTo("TLSv1.2");
        }
    }

    private static String handshake(int port, String protocol, String cipher) throws IOException {
        try (SSLSocket s = (SSLSocket) rsa.trust().getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.setEnabledProtocols(new String[] {protocol});
            s.setEnabledCipherSuites(new String[] {cipher});
            s.startHandshake();
            return s.getSession().getProtocol();
        }
    }

    @Test
    void plainTextAndGarbageOnTheTlsPortAreClosedQuietlyWhileTlsClientsGoOn() throws Exception {
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        ch.qos.logback.classic.Logger root =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        try (TestNode node = start(rsa, Map.of())) {
            int port = node.server.address().getPort();
            Recorder rb = new Recorder();
            try (TernClient alice = node.user("alice", new Recorder(), trusting(wss(node)));
                 TernClient bob = node.user("bob", rb, trusting(wss(node)))) {
                logged.start();
                root.addAppender(logged);
                for (byte[] bad : List.of("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                        garbage(new byte[] {0x16, 0x03, 0x03, 0x00, 0x40, 0x01, 0x00, 0x00, 0x3c}, 69), // a broken ClientHello
                        garbage(new byte[] {0x00, 0x42, 0x13, 0x37, 0x00}, 1000))) {                 // nothing like TLS
                    String answer = new String(sendAndReadToEnd(port, bad), StandardCharsets.ISO_8859_1);
                    assertThat(answer).doesNotContain("HTTP/1.1").doesNotContain("status");
                }
                assertThatThrownBy(() -> fetch(HttpClient.newHttpClient(), "http://127.0.0.1:" + port + "/healthz"))
                        .isInstanceOf(IOException.class);

                get(alice.sendTextTo("bob", "still here"));
                await().atMost(Duration.ofSeconds(10)).until(() -> rb.messages().size() == 1);
                HttpClient https = HttpClient.newBuilder().sslContext(rsa.trust()).build();
                assertThat(fetch(https, "https://127.0.0.1:" + port + "/healthz").statusCode()).isEqualTo(200);
            } finally {
                root.detachAppender(logged);
            }
            assertThat(logged.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).isEmpty();
        }
    }

    /** Random bytes behind a fixed start: complete, so the server need not wait for more. */
    private static byte[] garbage(byte[] start, int length) {
        byte[] b = new byte[length];
        ThreadLocalRandom.current().nextBytes(b);
        System.arraycopy(start, 0, b, 0, start.length);
        return b;
    }

    /** Writes the bytes and reads until the server closes; fails if it keeps the connection open. */
    private static byte[] sendAndReadToEnd(int port, byte[] bytes) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(bytes);
            out.flush();
            InputStream in = s.getInputStream();
            try {
                return in.readAllBytes(); // a TLS alert at most, then end of stream
            } catch (java.net.SocketException reset) {
                return new byte[0];
            }
        }
    }

    @Test
    void aStalledHandshakeIsClosedAfterTheAuthTimeout() throws Exception {
        try (TestNode node = start(rsa, Map.of("timeouts.auth", "1s"))) {
            int port = node.server.address().getPort();
            long t0 = System.nanoTime();
            // A record header announcing a 512-byte ClientHello that never comes, and a silent socket.
            try (Socket partial = new Socket("127.0.0.1", port); Socket silent = new Socket("127.0.0.1", port)) {
                partial.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00});
                for (Socket s : List.of(partial, silent)) {
                    s.setSoTimeout(10_000);
                    s.getInputStream().readAllBytes(); // a TLS alert at most; times out if never closed
                }
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
        }
    }

    @Test
    void thePlainPortServesWebSocketAndHttpBesideTls() throws Exception {
        int plainPort = freePort();
        try (TestNode node = start(rsa, Map.of("server.plain-port", String.valueOf(plainPort)))) {
            assertThat(node.server.plainAddress().getPort()).isEqualTo(plainPort);
            assertThat(Main.readyMessage(node.server, dir))
                    .contains("wss://127.0.0.1:" + node.server.address().getPort() + "/ws")
                    .contains("ws://127.0.0.1:" + plainPort + "/ws")
                    .contains("http://127.0.0.1:" + plainPort + "/healthz");
            // Alice behind the load balancer (plain port), Bob straight to the TLS port: one server.
            aliceAndBobTalk(node, ClientOptions.of(URI.create("ws://127.0.0.1:" + plainPort + "/ws")),
                    trusting(wss(node)));
            HttpResponse<String> health = fetch(HttpClient.newHttpClient(), "http://127.0.0.1:" + plainPort + "/healthz");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.sslSession()).isEmpty();
        }
        // Closing the node closed the plain port too.
        try (ServerSocket again = new ServerSocket(plainPort, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(plainPort);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateFailsTheHandshake() throws Exception {
        try (TestNode node = start(rsa, Map.of())) {
            String https = "https://127.0.0.1:" + node.server.address().getPort() + "/healthz";
            // The JDK's default trust store does not know a self-signed certificate, nor does a client
            // that trusts another one.
            for (ClientOptions distrustful : List.of(ClientOptions.of(wss(node)).withReconnect(false),
                    ClientOptions.of(wss(node)).withReconnect(false).withTrustedCertificates(stranger.cert()))) {
                Throwable failure = catchThrowable(() -> get(TernClient.connect(distrustful, null)));
                assertThat(causes(failure)).hasAtLeastOneElementOfType(SSLHandshakeException.class);
            }
            for (SSLContext context : List.of(SSLContext.getDefault(), stranger.trust())) {
                assertThatThrownBy(() -> fetch(HttpClient.newBuilder().sslContext(context).build(), https))
                        .isInstanceOf(SSLHandshakeException.class);
            }
            aliceAndBobTalk(node, trusting(wss(node)), trusting(wss(node)));
            // The SDK says at once what it cannot use.
            assertThatThrownBy(() -> ClientOptions.of(URI.create("https://127.0.0.1:443/ws")))
                    .hasMessageContaining("ws:// or wss://");
            assertThatThrownBy(() -> ClientOptions.of(wss(node)).withTrustedCertificates(rsa.key()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(rsa.key().toString());
        }
    }

    private static List<Throwable> causes(Throwable t) {
        List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable c = t; c != null && !chain.contains(c); c = c.getCause()) {
            chain.add(c);
        }
        return chain;
    }
}
