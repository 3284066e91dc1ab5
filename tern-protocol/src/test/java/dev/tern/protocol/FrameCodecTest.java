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
                .isEqualTo(new FrameCodec.Rejected("", ErrorCode.UNKNOWN_FRAME_TYPE, "unknown frame type: dance"));
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
    void aJsonValueOfTheWrongTypeIsMalformedNotConverted() {
        // Protobuf's JSON parser would read 12345 into a string field and "true" into a bool; the
        // protocol calls both malformed, and a client must not have a value it did not send executed.
        String send = "{\"id\":\"1\",\"send\":{\"peer\":\"bob\",\"clientMsgId\":\"c\",\"contentType\":\"text/plain\",";
        assertMalformed("{\"id\":\"1\",\"register\":{\"username\":12345,\"password\":\"correct horse\"}}",
                "1", "register.username must be a string, not a number");
        assertMalformed("{\"id\":77,\"ping\":{}}", "", "id must be a string, not a number");
        assertMalformed("{\"id\":\"1\",\"register\":{\"username\":true,\"password\":\"correct horse\"}}",
                "1", "register.username must be a string, not a boolean");
        assertMalformed(send + "\"text\":{\"a\":1}}}", "1", "send.text must be a string, not an object");
        assertMalformed(send + "\"data\":123}}", "1", "send.data must be a string, not a number");
        assertMalformed(send + "\"text\":\"x\",\"retry\":\"true\"}}", "1", "send.retry must be true or false, not a string");
        assertMalformed(send + "\"text\":\"x\",\"retry\":1}}", "1", "send.retry must be true or false, not a number");
        assertMalformed("{\"id\":\"1\",\"ping\":[]}", "1", "ping must be an object, not an array");
        assertMalformed("{\"id\":\"1\",\"send\":{\"forward\":\"12/35\"}}", "1", "send.forward must be an object, not a string");
        assertMalformed("{\"id\":\"1\",\"createGroup\":{\"title\":\"t\",\"members\":\"bob\"}}", "1",
                "createGroup.members must be an array, not a string");
        assertMalformed("{\"id\":\"1\",\"createGroup\":{\"title\":\"t\",\"members\":[\"bob\",7]}}", "1",
                "createGroup.members[1] must be a string, not a number");
        assertMalformed("{\"id\":\"1\",\"createGroup\":{\"title\":\"t\",\"members\":[null]}}", "1",
                "createGroup.members[0] must be a string, not null");
        assertMalformed("{\"id\":\"1\",\"sync\":{\"limit\":true}}", "1", "sync.limit must be a number, not a boolean");
        assertMalformed("{\"id\":\"1\",\"addMember\":{\"conversationId\":\"1\",\"username\":\"a\",\"role\":false}}", "1",
                "addMember.role must be an enum value name or number, not a boolean");
        // What the JSON mapping allows stays allowed: numbers as strings, enums as numbers, null as absent.
        assertThat(FrameCodec.decodeJson("{\"id\":\"1\",\"sync\":{\"afterPts\":41,\"limit\":\"100\"}}"))
                .isEqualTo(new FrameCodec.Frame(ClientFrame.newBuilder().setId("1")
                        .setSync(dev.tern.protocol.v1.Sync.newBuilder().setAfterPts(41).setLimit(100)).build()));
        assertThat(FrameCodec.decodeJson("{\"id\":\"1\",\"addMember\":{\"conversationId\":\"1\",\"username\":\"a\",\"role\":2}}"))
                .isInstanceOfSatisfying(FrameCodec.Frame.class, f -> assertThat(f.frame().getAddMember().getRole())
                        .isEqualTo(dev.tern.protocol.v1.Role.ADMIN));
        assertThat(FrameCodec.decodeJson("{\"id\":\"1\",\"createGroup\":{\"title\":\"t\",\"members\":null,\"clientId\":null}}"))
                .isInstanceOfSatisfying(FrameCodec.Frame.class, f -> assertThat(f.frame().getCreateGroup().getMembersList()).isEmpty());
    }

    @Test
    void jsonMustBeStrictJsonWithOneObjectAndEachKeyOnce() {
        assertMalformed("{id:'1',ping:{}}", "", "not valid JSON at line 1 column 3 path $.");
        assertMalformed("{\"id\":\"1\",\"ping\":{}} trailing", "1", "not valid JSON at line 1 column 23 path $");
        assertMalformed("{\"id\":\"1\",\"ping\":{}}{\"id\":\"2\",\"ping\":{}}", "1", "not valid JSON at line 1 column 22 path $");
        assertMalformed("{\"id\":\"1\",/* why not */\"ping\":{}}", "1", "not valid JSON at line 1 column 12 path $.id");
        assertMalformed("{\"id\":\"1\",\"id\":\"2\",\"ping\":{}}", "1", "id is given twice");
        // The same field by its JSON name and by its .proto name is the same key.
        assertMalformed("{\"id\":\"1\",\"sync\":{\"afterPts\":\"1\",\"after_pts\":\"2\"}}", "1", "sync.after_pts is given twice");
        assertMalformed("\"ping\"", "", "a frame is a JSON object");
        // Whitespace around and inside the object is JSON, not an error.
        assertThat(FrameCodec.decodeJson(" \n{ \"id\" : \"1\" ,\t\"ping\" : { } }\n")).isInstanceOf(FrameCodec.Frame.class);
    }

    @Test
    void unknownKeysFollowOneRuleAtTheTopLevelAndInsideARequest() {
        // No known request at the top level: the unknown key is read as a newer request type.
        assertThat(FrameCodec.decodeJson("{\"id\":\"u5\",\"zzz\":1}"))
                .isEqualTo(new FrameCodec.Rejected("u5", ErrorCode.UNKNOWN_FRAME_TYPE, "unknown frame type: zzz"));
        assertThat(code(FrameCodec.decodeJson("{\"zzz\":{},\"id\":\"u6\",\"yyy\":{}}"))).isEqualTo(ErrorCode.UNKNOWN_FRAME_TYPE);
        // Next to a known request, or inside one, it is a field this version does not define.
        assertThat(FrameCodec.decodeJson("{\"id\":\"u4\",\"ping\":{},\"zzz\":1}"))
                .isEqualTo(new FrameCodec.Rejected("u4", ErrorCode.UNKNOWN_FIELD, "unknown field: zzz"));
        assertThat(FrameCodec.decodeJson("{\"zzz\":1,\"id\":\"u3\",\"ping\":{}}"))
                .isEqualTo(new FrameCodec.Rejected("u3", ErrorCode.UNKNOWN_FIELD, "unknown field: zzz"));
        assertThat(FrameCodec.decodeJson("{\"id\":\"u2\",\"send\":{\"forward\":{\"conversationId\":\"1\",\"zzz\":1}}}"))
                .isEqualTo(new FrameCodec.Rejected("u2", ErrorCode.UNKNOWN_FIELD, "unknown field: send.forward.zzz"));
        assertThat(FrameCodec.decodeJson("{\"id\":\"u1\",\"addMember\":{\"username\":\"a\",\"role\":\"SUPER\"}}"))
                .isEqualTo(new FrameCodec.Rejected("u1", ErrorCode.UNKNOWN_FIELD, "unknown field: addMember.role value SUPER"));
        // A wrong type is malformed whatever else the frame holds; what is under an unknown key is not examined.
        assertThat(code(FrameCodec.decodeJson("{\"id\":\"1\",\"zzz\":{},\"ping\":{\"x\":1},\"sync\":{\"limit\":true}}")))
                .isEqualTo(ErrorCode.MALFORMED_FRAME);
        assertThat(code(FrameCodec.decodeJson("{\"id\":\"1\",\"zzz\":{\"limit\":true},\"ping\":{}}")))
                .isEqualTo(ErrorCode.UNKNOWN_FIELD);
        // A request key that is null is absent: the frame then has no request.
        assertThat(code(FrameCodec.decodeJson("{\"id\":\"1\",\"ping\":null}"))).isEqualTo(ErrorCode.UNKNOWN_FRAME_TYPE);
    }

    @Test
    void binaryWithUnknownNestedFieldsIsRejected() {
        // ClientFrame{id:"1", ping:{field 9: varint 1}}
        byte[] bytes = {0x0a, 0x01, 0x31, (byte) 0xca, 0x01, 0x02, 0x48, 0x01};
        assertThat(FrameCodec.decodeBinary(bytes)).isEqualTo(new FrameCodec.Rejected("1", ErrorCode.UNKNOWN_FIELD, "unknown field: ping.#9"));
    }

    @Test
    void binaryFollowsTheJsonRuleForWrongTypesAndUnknownNumbers() {
        // A known field with a wire type that does not fit it is a wrong type, as in JSON; protobuf
        // itself would only file it among the unknown fields.
        byte[] idAsVarint = {0x08, 0x4d, (byte) 0xca, 0x01, 0x00};                      // id: 77, ping: {}
        assertThat(FrameCodec.decodeBinary(idAsVarint))
                .isEqualTo(new FrameCodec.Rejected("", ErrorCode.MALFORMED_FRAME, "malformed frame: id has the wrong wire type"));
        byte[] limitAsBytes = {0x0a, 0x01, 0x31, (byte) 0x82, 0x01, 0x03, 0x12, 0x01, 0x35}; // sync: {limit: "5"}
        assertThat(FrameCodec.decodeBinary(limitAsBytes)).isEqualTo(
                new FrameCodec.Rejected("1", ErrorCode.MALFORMED_FRAME, "malformed frame: sync.limit has the wrong wire type"));
        byte[] pingAsVarint = {0x0a, 0x01, 0x31, (byte) 0xc8, 0x01, 0x01};              // ping: 1, so no request
        assertThat(code(FrameCodec.decodeBinary(pingAsVarint))).isEqualTo(ErrorCode.MALFORMED_FRAME);
        // An unknown number at the top level: a newer request type without a known one, a field beside one.
        byte[] newType = {0x0a, 0x01, 0x31, (byte) 0xfa, 0x06, 0x00};                   // field 111: {}
        assertThat(FrameCodec.decodeBinary(newType)).isEqualTo(new FrameCodec.Rejected("1", ErrorCode.UNKNOWN_FRAME_TYPE, "unknown frame type"));
        byte[] newField = {0x0a, 0x01, 0x31, (byte) 0xca, 0x01, 0x00, (byte) 0xfa, 0x06, 0x00}; // ping: {}, field 111: {}
        assertThat(FrameCodec.decodeBinary(newField)).isEqualTo(new FrameCodec.Rejected("1", ErrorCode.UNKNOWN_FIELD, "unknown field: #111"));
        // Packed and unpacked repeated numbers are both the protobuf encoding, not a wrong type.
        byte[] unpacked = {0x0a, 0x01, 0x31, (byte) 0x8a, 0x02, 0x06, 0x08, 0x0c, 0x10, 0x23, 0x10, 0x24}; // deleteForMe: {12; 35, 36}
        assertThat(FrameCodec.decodeBinary(unpacked)).isInstanceOfSatisfying(FrameCodec.Frame.class,
                f -> assertThat(f.frame().getDeleteForMe().getSeqsList()).containsExactly(35L, 36L));
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

    private static void assertMalformed(String json, String id, String detail) {
        assertThat(FrameCodec.decodeJson(json)).as(json)
                .isEqualTo(new FrameCodec.Rejected(id, ErrorCode.MALFORMED_FRAME, "malformed frame: " + detail));
    }

    private static ErrorCode code(FrameCodec.Decoded d) {
        assertThat(d).isInstanceOf(FrameCodec.Rejected.class);
        return ((FrameCodec.Rejected) d).code();
    }
}
