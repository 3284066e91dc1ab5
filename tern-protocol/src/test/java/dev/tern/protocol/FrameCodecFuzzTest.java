package dev.tern.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.ErrorCode;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz targets for the two client-frame decoders. Without {@code JAZZER_FUZZ} they replay the
 * committed inputs under {@code FrameCodecFuzzTestInputs/<method>/} as regression tests; with it,
 * {@code scripts/fuzz.sh} lets Jazzer mutate them for a bounded time.
 *
 * <p>The properties are those every decoded frame relies on further in: a decoder never throws (an
 * exception escaping here is a finding), a frame it accepts has a valid id and a body and survives a
 * round trip through either wire format unchanged (so a JSON client and a protobuf client cannot be
 * told different things), and a rejection names a real error code and an id the client can use.
 */
class FrameCodecFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decodeJson(byte[] input) {
        // WebSocket text frames arrive as UTF-8; Netty hands the codec the decoded string.
        FrameCodec.Decoded decoded = FrameCodec.decodeJson(new String(input, StandardCharsets.UTF_8));
        switch (decoded) {
            case FrameCodec.Frame f -> assertRoundTrips(f.frame());
            case FrameCodec.Rejected r -> assertWellFormed(r);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void decodeBinary(byte[] input) {
        FrameCodec.Decoded decoded = FrameCodec.decodeBinary(input);
        switch (decoded) {
            case FrameCodec.Frame f -> assertRoundTrips(f.frame());
            case FrameCodec.Rejected r -> assertWellFormed(r);
        }
    }

    private static void assertRoundTrips(ClientFrame frame) {
        assertThat(frame.getBodyCase()).isNotEqualTo(ClientFrame.BodyCase.BODY_NOT_SET);
        assertThat(frame.getId().length()).isBetween(1, FrameCodec.MAX_REQUEST_ID);
        FrameCodec.Frame expected = new FrameCodec.Frame(frame);
        assertThat(FrameCodec.decodeJson(FrameCodec.toJson(frame))).as("JSON round trip").isEqualTo(expected);
        assertThat(FrameCodec.decodeBinary(frame.toByteArray())).as("binary round trip").isEqualTo(expected);
    }

    private static void assertWellFormed(FrameCodec.Rejected r) {
        assertThat(r.code()).isNotIn(ErrorCode.ERROR_CODE_UNSPECIFIED, ErrorCode.UNRECOGNIZED);
        assertThat(ErrorTable.of(r.code())).isNotNull();
        assertThat(r.message()).isNotBlank();
        // docs/protocol.md: an error answers with the frame's id, or with "" when it is missing,
        // empty or too long; an error must never carry an id no valid request could have had.
        assertThat(r.requestId()).isNotNull();
        assertThat(r.requestId().length()).isLessThanOrEqualTo(FrameCodec.MAX_REQUEST_ID);
    }
}
