package dev.tern.protocol;

import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Send;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FrameCodecTest {

    @Test
    void aValidJsonFrameDecodesToTheSameMessageAsItsBinaryForm() {
        ClientFrame f = ClientFrame.newBuilder().setId("7").setSend(Send.newBuilder().setConversationId(42)
                .setClientMsgId("c1").setContentType("text/plain").setText("héllo")).build();
        String json = FrameCodec.toJson(f);
        assertThat(json).contains("\"conversationId\":\"42\"").contains("\"clientMsgId\":\"c1\"");
        assertThat(FrameCodec.decodeJson(json)).isEqualTo(new FrameCodec.Frame(f));
        assertThat(FrameCodec.decodeBinary(f.toByteArray())).isEqualTo(new FrameCodec.Frame(f));
    }

    @Test
    void badJsonBecomesAnErrorValueWithTheIdWhenReadable() {
        assertThat(FrameCodec.decodeJson("{\"id\":\"9\",\"ping\":")).isEqualTo(
                new FrameCodec.Rejected("9", ErrorCode.MALFORMED_FRAME, ((FrameCodec.Rejected) FrameCodec.decodeJson("{\"id\":\"9\",\"ping\":")).message()));
        assertThat(code(FrameCodec.decodeJson(""))).isEqualTo(ErrorCode.MALFORMED_FRAME);
        assertThat(code(FrameCodec.decodeJson("[]"))).isEqualTo(ErrorCode.MALFORMED_FRAME);
        assertThat(code(FrameCodec.decodeJson("{\"id\":\"1\",\"sync\":{\"limit\":-1}}"))).isEqualTo(ErrorCode.MALFORMED_FRAME);
        assertThat(code(FrameCodec.decodeJson("{\"id\":\"1\",\"dance\":{}}"))).isEqualTo(ErrorCode.UNKNOWN_FRAME_TYPE);
        assertThat(code(FrameCodec.decodeJson("{\"id\":\"1\",\"ping\":{\"x\":1}}"))).isEqualTo(ErrorCode.UNKNOWN_FIELD);
        assertThat(code(FrameCodec.decodeJson("{\"id\":\"\",\"ping\":{}}"))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(code(FrameCodec.decodeJson("{\"id\":\"" + "x".repeat(65) + "\",\"ping\":{}}")))
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(code(FrameCodec.decodeJson("{\"id\":\"1\"}"))).isEqualTo(ErrorCode.UNKNOWN_FRAME_TYPE);
    }

    @Test
    void anErrorNeverEchoesAnIdNoRequestCouldHave() {
        // Found by FrameCodecFuzzTest: the unknown-type and unknown-field paths echoed any id.
        String longId = "x".repeat(FrameCodec.MAX_REQUEST_ID + 1);
        assertThat(FrameCodec.decodeJson("{\"id\":\"" + longId + "\",\"dance\":{}}"))
                .isEqualTo(new FrameCodec.Rejected("", ErrorCode.UNKNOWN_FRAME_TYPE, "unknown frame type"));
        assertThat(((FrameCodec.Rejected) FrameCodec.decodeJson("{\"id\":\"" + longId + "\",\"ping\":{\"x\":1}}")).requestId())
                .isEmpty();
        assertThat(FrameCodec.decodeBinary(ClientFrame.newBuilder().setId(longId).build().toByteArray()))
                .isEqualTo(new FrameCodec.Rejected("", ErrorCode.UNKNOWN_FRAME_TYPE, "unknown frame type"));
        // Broken JSON, id read from the text: 40 characters outside the BMP are 80 UTF-16 chars.
        String wide = "\uD83D\uDE00".repeat(40);
        assertThat(((FrameCodec.Rejected) FrameCodec.decodeJson("{\"id\":\"" + wide + "\",\"ping\":")).requestId())
                .isEmpty();
        assertThat(((FrameCodec.Rejected) FrameCodec.decodeJson("{\"id\":\"\uD83D\uDE00\",\"ping\":")).requestId())
                .isEqualTo("\uD83D\uDE00");
    }

    @Test
    void jsonStringsWithAnUnpairedSurrogateAreMalformed() {
        // Found by FrameCodecFuzzTest: "\\ude00" parsed, but protobuf's UTF-8 encoding turned it into '?',
        // so the stored text would differ from the text the client sent.
        assertThat(FrameCodec.decodeJson("{\"id\":\"1\",\"send\":{\"peer\":\"bob\",\"clientMsgId\":\"c\","
                + "\"contentType\":\"text/plain\",\"text\":\"a \\ud83d b\"}}"))
                .isInstanceOfSatisfying(FrameCodec.Rejected.class, r -> {
                    assertThat(r.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
                    assertThat(r.requestId()).isEqualTo("1");
                });
        assertThat(code(FrameCodec.decodeJson("{\"id\":\"\\ude00\",\"ping\":{}}"))).isEqualTo(ErrorCode.MALFORMED_FRAME);
        assertThat(((FrameCodec.Rejected) FrameCodec.decodeJson("{\"id\":\"\\ude00\",\"ping\":{}}")).requestId()).isEmpty();
        // A whole pair, escaped or not, is ordinary text.
        assertThat(FrameCodec.decodeJson("{\"id\":\"\\ud83d\\ude00\",\"ping\":{}}")).isInstanceOf(FrameCodec.Frame.class);
        assertThat(FrameCodec.decodeJson("{\"id\":\"\uD83D\uDE00\",\"ping\":{}}")).isInstanceOf(FrameCodec.Frame.class);
    }

    @Test
    void binaryWithUnknownNestedFieldsIsRejected() {
        // ClientFrame{id:"1", ping:{field 9: varint 1}}
        byte[] bytes = {0x0a, 0x01, 0x31, (byte) 0xca, 0x01, 0x02, 0x48, 0x01};
        assertThat(code(FrameCodec.decodeBinary(bytes))).isEqualTo(ErrorCode.UNKNOWN_FIELD);
    }

    @Test
    void randomBytesNeverThrow() {
        Random r = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[r.nextInt(64)];
            r.nextBytes(b);
            assertThat(FrameCodec.decodeBinary(b)).isNotNull();
            assertThat(FrameCodec.decodeJson(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1))).isNotNull();
        }
    }

    @Test
    void everyErrorCodeHasATableRow() {
        for (ErrorCode c : ErrorCode.values()) {
            if (c != ErrorCode.ERROR_CODE_UNSPECIFIED && c != ErrorCode.UNRECOGNIZED) {
                assertThat(ErrorTable.of(c).meaning()).isNotBlank();
            }
        }
    }

    private static ErrorCode code(FrameCodec.Decoded d) {
        assertThat(d).isInstanceOf(FrameCodec.Rejected.class);
        return ((FrameCodec.Rejected) d).code();
    }
}
