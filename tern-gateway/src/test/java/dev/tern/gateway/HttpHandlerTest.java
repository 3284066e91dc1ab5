package dev.tern.gateway;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP answers to requests a client got wrong, on the real pipeline (cases first found by HttpFuzzTest). */
class HttpHandlerTest {

    @Test
    void aBadPercentEscapeIsABadRequestNotAnException() throws Exception {
        Result r = exchange("GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(r.statuses).containsExactly(400);
        assertThat(r.gateway.unexpected).isEmpty();
        assertThat(r.openAfterInput).isFalse();
    }

    @Test
    void anUnparsableRequestIsAnsweredAndTheConnectionClosed() throws Exception {
        // Before: a 404 on a connection left open whose decoder ignored the GET that followed.
        Result r = exchange("GARBAGE\r\n\r\nGET /healthz HTTP/1.1\r\n\r\n");
        assertThat(r.statuses).containsExactly(400);
        assertThat(r.openAfterInput).isFalse();
    }

    @Test
    void aMalformedUpgradeIsRefusedNotUpgraded() throws Exception {
        // Found by HttpFuzzTest: the handshake ran on the headers read before the broken one.
        Result r = exchange("GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nBroken\r\n\r\n");
        assertThat(r.statuses).containsExactly(400);
        assertThat(r.openAfterInput).isFalse();
    }

    @Test
    void oversizedHeadersAndRequestLinesGetTheirOwnStatus() throws Exception {
        assertThat(exchange("GET / HTTP/1.1\r\nX-Long: " + "a".repeat(9000) + "\r\n\r\n").statuses).containsExactly(431);
        assertThat(exchange("GET /" + "a".repeat(5000) + " HTTP/1.1\r\n\r\n").statuses).containsExactly(414);
    }

    @Test
    void wellFormedRequestsStillShareAConnection() throws Exception {
        Result r = exchange("GET /healthz HTTP/1.1\r\n\r\nHEAD / HTTP/1.1\r\n\r\nGET /nope HTTP/1.1\r\n\r\n");
        assertThat(r.statuses).containsExactly(200, 200, 404);
        assertThat(r.openAfterInput).isTrue();
    }

    private record Result(EmbeddedGateway gateway, List<Integer> statuses, boolean openAfterInput) {}

    private static Result exchange(String request) throws Exception {
        EmbeddedGateway gw = new EmbeddedGateway();
        gw.receive(request.getBytes(StandardCharsets.US_ASCII));
        boolean open = gw.channel.isOpen();
        ServerOutput out = gw.close();
        assertThat(out.problems).isEmpty();
        assertThat(gw.alloc.unreleased()).isEmpty();
        return new Result(gw, out.responses.stream().map(ServerOutput.Response::status).toList(), open);
    }
}
