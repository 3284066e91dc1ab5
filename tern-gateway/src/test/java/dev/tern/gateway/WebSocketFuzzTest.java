package dev.tern.gateway;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.tern.protocol.ErrorTable;
import dev.tern.protocol.FrameCodec;
import dev.tern.protocol.v1.ServerFrame;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target for the WebSocket side: a connection upgraded at {@code /ws}, then fuzzed frames, on
 * the real pipeline with a recording stand-in for the dispatcher (see {@link RecordingRequests}).
 *
 * <p>The input is a small script, so that mutations stay mostly inside the framing rather than
 * breaking it at the first byte (see {@link FrameScript}). Properties: no handler throws; the server
 * writes only well-formed WebSocket frames in the negotiated format; every message that reached the
 * connection either got one answer from the gateway itself (an error or a pong) or was handed on to
 * the dispatcher, never both or neither; a protocol violation closes the connection with a valid
 * close code; no buffer leaks.
 */
class WebSocketFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void webSocketFrames(byte[] input) throws Exception {
        FrameScript script = FrameScript.parse(input);
        EmbeddedGateway gw = new EmbeddedGateway();
        String subprotocol = script.binary() ? FrameCodec.BINARY_SUBPROTOCOL : FrameCodec.JSON_SUBPROTOCOL;
        gw.receive(FrameScript.upgradeRequest(subprotocol));
        ServerOutput seen = gw.output();
        assertThat(seen.responses).as("handshake").hasSize(1);
        assertThat(seen.responses.get(0).status()).isEqualTo(101);
        assertThat(seen.responses.get(0).headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)).isEqualTo(subprotocol);

        for (byte[] chunk : script.chunks()) {
            gw.receive(chunk);
            if (gw.channel.isOpen()) {
                // One message at a time: the next arrives only once the mailbox handed this one on.
                int expected = gw.messagesDelivered - answers(seen, script.binary());
                assertThat(gw.awaitHanded(expected)).as("requests handed on: %d of %d", gw.requests.handed.get(),
                        expected).isTrue();
            }
        }
        boolean openAfterInput = gw.channel.isOpen();
        ServerOutput out = gw.close();

        assertThat(gw.unexpected).as("exceptions raised by handlers").isEmpty();
        assertThat(out.problems).as("what a client could not parse").isEmpty();
        int answers = answers(out, script.binary());
        int handed = gw.requests.handed.get();
        if (openAfterInput) {
            assertThat(answers + handed).as("answered + handed on vs delivered").isEqualTo(gw.messagesDelivered);
        } else {
            // A closing connection drops what its mailbox still held; it never answers twice.
            assertThat(answers + handed).as("answered + handed on vs delivered").isLessThanOrEqualTo(gw.messagesDelivered);
        }
        for (ServerOutput.Frame f : out.frames) {
            if (f.type() == CloseWebSocketFrame.class && f.closeStatus() != -1) {
                assertThat(WebSocketCloseStatus.isValidStatusCode(f.closeStatus())).as("close code %d", f.closeStatus())
                        .isTrue();
            }
        }
        if (!gw.expected.isEmpty()) {
            assertThat(openAfterInput).as("connection open after %s", gw.expected.get(0)).isFalse();
        }
        assertThat(gw.alloc.unreleased()).as("buffers not released").isEmpty();
        assertThat(LeakReports.reports()).as("leaks reported by Netty's detector (maybe from an earlier input)").isEmpty();
    }

    /**
     * Counts the server's answers (errors and pongs) among its data frames, checking on the way that
     * each parses in the negotiated format and carries a real error code and a valid id.
     */
    private static int answers(ServerOutput out, boolean binary) throws InvalidProtocolBufferException {
        int n = 0;
        for (ServerOutput.Frame f : out.frames) {
            ServerFrame sf;
            if (f.type() == TextWebSocketFrame.class) {
                assertThat(binary).as("a text frame on a binary connection").isFalse();
                ServerFrame.Builder b = ServerFrame.newBuilder();
                JsonFormat.parser().merge(new String(f.payload(), StandardCharsets.UTF_8), b);
                sf = b.build();
            } else if (f.type() == BinaryWebSocketFrame.class) {
                assertThat(binary).as("a binary frame on a JSON connection").isTrue();
                sf = ServerFrame.parseFrom(f.payload());
            } else {
                continue;
            }
            assertThat(sf.getId().length()).isLessThanOrEqualTo(FrameCodec.MAX_REQUEST_ID);
            switch (sf.getBodyCase()) {
                case ERROR -> {
                    assertThat(ErrorTable.of(sf.getError().getCode()).retryable()).isEqualTo(sf.getError().getRetryable());
                    n++;
                }
                case PONG -> n++;
                case GOODBYE -> assertThat(sf.getId()).isEmpty();
                default -> throw new AssertionError("the gateway alone answered " + sf.getBodyCase());
            }
        }
        return n;
    }
}
