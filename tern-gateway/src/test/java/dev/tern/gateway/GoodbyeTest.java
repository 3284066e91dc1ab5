package dev.tern.gateway;

import com.google.protobuf.util.JsonFormat;
import dev.tern.core.view.Push;
import dev.tern.protocol.FrameCodec;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.ServerFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The close protocol and the outbound queue on the real pipeline (embedded channel): what a client
 * reads before and with a goodbye, and the close code. {@code GoodbyeIT} checks the same over real
 * sockets, with a client that reads nothing and a server stopped by SIGTERM.
 */
class GoodbyeTest {
    private static final int MAX_OUTBOUND = EmbeddedGateway.CONFIG.maxOutboundBytes();

    /** An upgraded JSON connection. */
    private static EmbeddedGateway upgraded() throws Exception {
        EmbeddedGateway gw = new EmbeddedGateway();
        gw.receive(FrameScript.upgradeRequest(FrameCodec.JSON_SUBPROTOCOL));
        assertThat(gw.output().responses.getFirst().status()).isEqualTo(101);
        return gw;
    }

    private static Push push(int n, int size) {
        return new Push.Typing(n, 0, "u".repeat(size), false);
    }

    /** The data frames the client read, parsed, and the close code of the close frame (0: none). */
    private record Seen(List<ServerFrame> frames, int closeCode) {}

    private static Seen seen(ServerOutput out) throws Exception {
        List<ServerFrame> frames = new ArrayList<>();
        int close = 0;
        for (ServerOutput.Frame f : out.frames) {
            if (f.type() == TextWebSocketFrame.class) {
                ServerFrame.Builder b = ServerFrame.newBuilder();
                JsonFormat.parser().merge(new String(f.payload(), StandardCharsets.UTF_8), b);
                frames.add(b.build());
            } else if (f.type() == CloseWebSocketFrame.class) {
                close = f.closeStatus();
            }
        }
        return new Seen(frames, close);
    }

    private static double goodbyes(EmbeddedGateway gw, ErrorCode reason) {
        return gw.requests.registry.get("tern.goodbyes").tag("reason", reason.name()).counter().count();
    }

    private static void setWritable(EmbeddedGateway gw, boolean writable) {
        gw.channel.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
    }

    @Test
    void aGoodbyeComesAfterWhatWasQueuedAndCarriesItsCloseCode() throws Exception {
        EmbeddedGateway gw = upgraded();
        Connection c = gw.connection();
        for (int i = 1; i <= 3; i++) {
            c.push(push(i, 10));
        }
        c.close(dev.tern.core.ErrorCode.SHUTTING_DOWN, "server is shutting down");
        c.push(push(4, 10)); // after the goodbye: never written

        Seen seen = seen(gw.pump());
        assertThat(seen.frames()).extracting(f -> f.getTyping().getConversationId()).startsWith(1L, 2L, 3L);
        assertThat(seen.frames()).hasSize(4);
        assertThat(seen.frames().getLast().getGoodbye().getReason()).isEqualTo(ErrorCode.SHUTTING_DOWN);
        assertThat(seen.closeCode()).isEqualTo(4044);
        assertThat(gw.channel.isOpen()).isFalse(); // an embedded channel cannot half-close: it closes
        assertThat(goodbyes(gw, ErrorCode.SHUTTING_DOWN)).isEqualTo(1);
        gw.close();
        assertThat(gw.alloc.unreleased()).isEmpty();
    }

    @Test
    void framesThatWaitedForTheSocketGoOutInOrderOnceItTakesMore() throws Exception {
        EmbeddedGateway gw = upgraded();
        Connection c = gw.connection();
        setWritable(gw, false);
        for (int i = 1; i <= 5; i++) {
            c.push(push(i, 100));
        }
        assertThat(seen(gw.pump()).frames()).isEmpty();
        setWritable(gw, true);
        Seen seen = seen(gw.pump());
        assertThat(seen.frames()).extracting(f -> f.getTyping().getConversationId()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(seen.closeCode()).isZero();
        assertThat(gw.channel.isOpen()).isTrue();
        gw.close();
    }

    /**
     * With a water mark small enough that the frames overflow it, the flush made to find room
     * turns the channel writable inside itself and Netty calls back into the drain of the frames
     * that waited: each must still go out once, in order, and the connection stay open.
     */
    @Test
    void framesThatWaitedGoOutOnceInOrderWhenTheFlushForRoomReentersTheDrain() throws Exception {
        EmbeddedGateway gw = upgraded();
        gw.channel.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(1024, 2048));
        Connection c = gw.connection();
        setWritable(gw, false);
        for (int i = 1; i <= 20; i++) {
            c.push(push(i, 900));
        }
        gw.pump();
        setWritable(gw, true);
        Seen seen = seen(gw.pump());
        List<Long> ids = new ArrayList<>();
        for (ServerFrame f : seen.frames()) {
            ids.add(f.getTyping().getConversationId());
        }
        List<Long> expected = new ArrayList<>();
        for (long i = 1; i <= 20; i++) {
            expected.add(i);
        }
        assertThat(ids).isEqualTo(expected);
        assertThat(seen.closeCode()).isZero();
        assertThat(gw.channel.isOpen()).isTrue();
        gw.close();
    }

    @Test
    void aSlowReaderLosesWhatWaitsButGetsItsGoodbyeAndCloseCodeAtOnce() throws Exception {
        EmbeddedGateway gw = upgraded();
        Connection c = gw.connection();
        c.push(push(1, 10)); // reaches the client before it stops reading
        gw.pump();
        setWritable(gw, false);
        int size = 1000;
        int pushes = MAX_OUTBOUND / size + 10; // more than max-outbound of frames
        for (int i = 2; i < 2 + pushes; i++) {
            c.push(push(i, size));
        }
        Seen seen = seen(gw.pump());
        // The frames that waited are dropped (the log has them); the goodbye did not wait for room.
        assertThat(seen.frames()).hasSize(2);
        assertThat(seen.frames().getFirst().getTyping().getConversationId()).isEqualTo(1);
        assertThat(seen.frames().getLast().getGoodbye().getReason()).isEqualTo(ErrorCode.SLOW_READER);
        assertThat(seen.closeCode()).isEqualTo(4042);
        assertThat(goodbyes(gw, ErrorCode.SLOW_READER)).isEqualTo(1);
        gw.close();
        assertThat(gw.alloc.unreleased()).as("dropped frames released").isEmpty();
    }

    @Test
    void belowTheLimitAClientThatFallsBehindIsNotCut() throws Exception {
        EmbeddedGateway gw = upgraded();
        Connection c = gw.connection();
        setWritable(gw, false);
        int size = 1000;
        int pushes = MAX_OUTBOUND / size / 2;
        for (int i = 1; i <= pushes; i++) {
            c.push(push(i, size));
        }
        setWritable(gw, true);
        Seen seen = seen(gw.pump());
        assertThat(seen.frames()).hasSize(pushes);
        assertThat(goodbyes(gw, ErrorCode.SLOW_READER)).isZero();
        gw.close();
    }

    @Test
    void duringAStopRequestsAreAnsweredShuttingDownAndNotHandedOn() throws Exception {
        EmbeddedGateway gw = upgraded();
        gw.connection().stopRequests();
        gw.receive(FrameScript.frame(FrameScript.FIN | 1, "{\"id\":\"a\",\"sync\":{}}".getBytes(StandardCharsets.UTF_8)));
        gw.receive(FrameScript.frame(FrameScript.FIN | 1, "{\"id\":\"b\",\"ping\":{}}".getBytes(StandardCharsets.UTF_8)));
        Seen seen = seen(gw.pump());
        assertThat(seen.frames()).hasSize(2);
        assertThat(seen.frames().getFirst().getId()).isEqualTo("a");
        assertThat(seen.frames().getFirst().getError().getCode()).isEqualTo(ErrorCode.SHUTTING_DOWN);
        assertThat(seen.frames().getFirst().getError().getRetryable()).isTrue();
        assertThat(seen.frames().getLast().hasPong()).isTrue(); // heartbeats still work
        assertThat(gw.requests.handed.get()).isZero();
        assertThat(gw.connection().requestsDone()).isTrue();
        gw.close();
    }
}
