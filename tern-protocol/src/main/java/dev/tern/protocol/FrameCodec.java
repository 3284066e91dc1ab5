package dev.tern.protocol;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.ErrorCode;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes client frames strictly and encodes server frames, in both wire formats. JSON is
 * protobuf's canonical JSON mapping; binary is the protobuf encoding.
 */
public final class FrameCodec {
    public static final String JSON_SUBPROTOCOL = "tern.v1.json";
    public static final String BINARY_SUBPROTOCOL = "tern.v1.proto";
    public static final int MAX_REQUEST_ID = 64;

    /** The outcome of decoding one frame. */
    public sealed interface Decoded permits Frame, Rejected {}

    /** A well-formed frame with a request id and a known body. */
    public record Frame(ClientFrame frame) implements Decoded {}

    /** A bad frame: the error to answer with and the request id when one could be read ("" otherwise). */
    public record Rejected(String requestId, ErrorCode code, String message) implements Decoded {}

    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"\\\\]{1,64})\"");

    private FrameCodec() {}

    /**
     * Decodes one JSON text frame. {@link JsonShape} first checks the syntax strictly, the JSON type
     * of every known field and where unknown keys are (its comment states the rule); protobuf's
     * parser then reads the values (digits, ranges, base64, one member per oneof).
     */
    public static Decoded decodeJson(String text) {
        JsonShape.Result shape = JsonShape.check(text, ClientFrame.getDescriptor());
        String id = shape.id() != null ? echoable(shape.id()) : "";
        switch (shape.kind()) {
            case MALFORMED -> {
                // The id when the check got that far, else one read from the text by a pattern.
                return new Rejected(shape.id() != null ? id : idFromText(text), ErrorCode.MALFORMED_FRAME,
                        "malformed frame: " + brief(shape.detail()));
            }
            case UNKNOWN_FRAME_TYPE -> {
                return new Rejected(id, ErrorCode.UNKNOWN_FRAME_TYPE, "unknown frame type: " + brief(shape.detail()));
            }
            case UNKNOWN_FIELD -> {
                return new Rejected(id, ErrorCode.UNKNOWN_FIELD, "unknown field: " + brief(shape.detail()));
            }
            case OK -> { }
        }
        ClientFrame.Builder b = ClientFrame.newBuilder();
        try {
            PARSER.merge(text, b);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return new Rejected(id, ErrorCode.MALFORMED_FRAME, "malformed frame: " + brief(e.getMessage()));
        }
        ClientFrame f = b.build();
        if (!WellFormedStrings.in(f)) {
            return new Rejected(echoable(f.getId()), ErrorCode.MALFORMED_FRAME,
                    "malformed frame: a string holds an unpaired surrogate (\\ud800-\\udfff)");
        }
        return validate(f);
    }

    public static Decoded decodeBinary(byte[] bytes) {
        ClientFrame f;
        try {
            f = ClientFrame.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return new Rejected("", ErrorCode.MALFORMED_FRAME, "malformed frame: " + brief(e.getMessage()));
        }
        // The JSON rule's order: a wrong type anywhere, then a missing or unknown request, then an
        // unknown field (docs/protocol.md, "Binary mapping").
        UnknownFields.Finding extra = UnknownFields.in(f);
        if (extra.code() == ErrorCode.MALFORMED_FRAME) {
            return new Rejected(echoable(f.getId()), ErrorCode.MALFORMED_FRAME, "malformed frame: " + extra.path());
        }
        if (f.getBodyCase() == ClientFrame.BodyCase.BODY_NOT_SET) {
            return new Rejected(echoable(f.getId()), ErrorCode.UNKNOWN_FRAME_TYPE, "unknown frame type");
        }
        if (extra.code() == ErrorCode.UNKNOWN_FIELD) {
            return new Rejected(echoable(f.getId()), ErrorCode.UNKNOWN_FIELD,
                    "unknown field: " + extra.path());
        }
        return validate(f);
    }

    public static String toJson(MessageOrBuilder m) {
        try {
            return PRINTER.print(m);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + m.getClass().getSimpleName(), e);
        }
    }

    private static Decoded validate(ClientFrame f) {
        if (f.getBodyCase() == ClientFrame.BodyCase.BODY_NOT_SET) {
            return new Rejected(echoable(f.getId()), ErrorCode.UNKNOWN_FRAME_TYPE, "unknown frame type");
        }
        if (!validId(f.getId())) {
            return new Rejected("", ErrorCode.INVALID_ARGUMENT, "id must be 1-64 characters");
        }
        return new Frame(f);
    }

    /**
     * The id an error may echo: the frame's own when it is a valid one, "" otherwise. An error never
     * carries an id no request could have had (the protocol promises "" then), and echoing an id of
     * any length would let one frame make the server repeat up to a whole frame back.
     */
    private static String echoable(String id) {
        return validId(id) ? id : "";
    }

    private static boolean validId(String id) {
        return !id.isEmpty() && id.length() <= MAX_REQUEST_ID && WellFormedStrings.isWellFormed(id);
    }

    private static String idFromText(String text) {
        Matcher m = ID.matcher(text.length() > 4096 ? text.substring(0, 4096) : text);
        // The pattern counts code points; an id of supplementary characters can still be too long.
        return m.find() ? echoable(m.group(1)) : "";
    }

    private static String brief(String message) {
        String s = String.valueOf(message);
        return s.length() > 200 ? s.substring(0, 200) : s;
    }
}
