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

    private static final JsonFormat.Parser STRICT = JsonFormat.parser();
    private static final JsonFormat.Parser LENIENT = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"\\\\]{1,64})\"");

    private FrameCodec() {}

    public static Decoded decodeJson(String text) {
        ClientFrame.Builder b = ClientFrame.newBuilder();
        try {
            STRICT.merge(text, b);
            ClientFrame f = b.build();
            if (!WellFormedStrings.in(f)) {
                return new Rejected(echoable(f.getId()), ErrorCode.MALFORMED_FRAME,
                        "malformed frame: a string holds an unpaired surrogate (\\ud800-\\udfff)");
            }
            return validate(f);
        } catch (InvalidProtocolBufferException | RuntimeException strictError) {
            // Tell an unknown frame type or field apart from broken JSON: retry ignoring unknowns.
            ClientFrame.Builder lenient = ClientFrame.newBuilder();
            try {
                LENIENT.merge(text, lenient);
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                return new Rejected(idFromText(text), ErrorCode.MALFORMED_FRAME, "malformed frame: " + brief(e));
            }
            ClientFrame f = lenient.build();
            if (f.getBodyCase() == ClientFrame.BodyCase.BODY_NOT_SET) {
                return new Rejected(echoable(f.getId()), ErrorCode.UNKNOWN_FRAME_TYPE, "unknown frame type");
            }
            return new Rejected(echoable(f.getId()), ErrorCode.UNKNOWN_FIELD, "unknown field: " + brief(strictError));
        }
    }

    public static Decoded decodeBinary(byte[] bytes) {
        ClientFrame f;
        try {
            f = ClientFrame.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return new Rejected("", ErrorCode.MALFORMED_FRAME, "malformed frame: " + brief(e));
        }
        if (f.getBodyCase() == ClientFrame.BodyCase.BODY_NOT_SET) {
            return new Rejected(echoable(f.getId()), ErrorCode.UNKNOWN_FRAME_TYPE, "unknown frame type");
        }
        if (hasUnknownFields(f)) {
            return new Rejected(echoable(f.getId()), ErrorCode.UNKNOWN_FIELD,
                    "frame has fields this protocol version does not define");
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

    /**
     * True when the message or any message inside it carries fields this schema does not define.
     * Only message-typed fields are descended into (scalars cannot hide unknown fields), and a oneof
     * is checked through its one set member, so a flat request costs a handful of checks rather
     * than the reflective map of every set field.
     */
    private static boolean hasUnknownFields(com.google.protobuf.Message m) {
        if (!m.getUnknownFields().asMap().isEmpty()) {
            return true;
        }
        var type = m.getDescriptorForType();
        for (var oneof : type.getOneofs()) {
            var set = m.getOneofFieldDescriptor(oneof);
            if (set != null && set.getJavaType() == com.google.protobuf.Descriptors.FieldDescriptor.JavaType.MESSAGE
                    && hasUnknownFields((com.google.protobuf.Message) m.getField(set))) {
                return true;
            }
        }
        for (var fd : type.getFields()) {
            if (fd.getJavaType() != com.google.protobuf.Descriptors.FieldDescriptor.JavaType.MESSAGE
                    || fd.getRealContainingOneof() != null) {
                continue;
            }
            if (fd.isRepeated()) {
                for (int i = 0, n = m.getRepeatedFieldCount(fd); i < n; i++) {
                    if (hasUnknownFields((com.google.protobuf.Message) m.getRepeatedField(fd, i))) {
                        return true;
                    }
                }
            } else if (m.hasField(fd) && hasUnknownFields((com.google.protobuf.Message) m.getField(fd))) {
                return true;
            }
        }
        return false;
    }

    private static String idFromText(String text) {
        Matcher m = ID.matcher(text.length() > 4096 ? text.substring(0, 4096) : text);
        // The pattern counts code points; an id of supplementary characters can still be too long.
        return m.find() ? echoable(m.group(1)) : "";
    }

    private static String brief(Throwable e) {
        String s = String.valueOf(e.getMessage());
        return s.length() > 200 ? s.substring(0, 200) : s;
    }
}
