package dev.tern.protocol;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;

import java.io.IOException;
import java.io.StringReader;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The first pass over a JSON client frame: strict JSON syntax, a JSON type that fits every known
 * field, and where the keys that name no field are. Protobuf's JSON parser, which runs after it,
 * is lenient in all three (it reads a number into a string field, {@code "true"} into a bool,
 * accepts comments, single quotes and data after the frame), so without this pass a frame the
 * protocol calls malformed would be executed with a value the client did not mean.
 *
 * <p>The rule for keys that name no field (docs/protocol.md, "JSON mapping"): at the top level,
 * when no known request key is present, the frame is a request type this server does not know
 * ({@code UNKNOWN_FRAME_TYPE}: a newer client's request); next to a known request, or inside any
 * known object, it is a field this version does not define ({@code UNKNOWN_FIELD}). An enum value
 * name the schema does not define counts as an unknown field too. A malformed frame (syntax or a
 * wrong type anywhere) is reported before either: the values under an unknown key are not
 * examined, as their types cannot be known.
 *
 * <p>JSON types per field type, as the protobuf JSON mapping writes them: string and bytes take a
 * string; bool takes {@code true}/{@code false}; numbers take a number or a string (the mapping
 * writes 64-bit numbers as strings; protobuf's parser checks the digits); enums a name or a number;
 * messages an object; repeated fields an array whose elements follow the same rules and are not
 * null. {@code null} anywhere else means "absent", as in the mapping.
 */
final class JsonShape {
    /** What the pass found; {@code id} is the top-level id when it was read as a string, else null. */
    record Result(Kind kind, String detail, String id) {}

    enum Kind { OK, MALFORMED, UNKNOWN_FRAME_TYPE, UNKNOWN_FIELD }

    /** Deeper than any message of the schema; a guard should the schema ever become recursive. */
    private static final int MAX_DEPTH = 32;
    /** Field lookup by either name, per message type: the schema is fixed, so this stays small. */
    private static final Map<Descriptor, Map<String, FieldDescriptor>> FIELDS = new ConcurrentHashMap<>();

    private final JsonReader in;
    private String id;
    private String unknownNested;  // path of the first unknown key inside a known object
    private String unknownTop;     // the first unknown top-level key
    private boolean knownBody;     // a key of the top-level oneof was present (and not null)

    private JsonShape(String text) {
        in = new JsonReader(new StringReader(text));
        in.setLenient(false);
    }

    static Result check(String text, Descriptor frameType) {
        JsonShape s = new JsonShape(text);
        try {
            if (s.in.peek() != JsonToken.BEGIN_OBJECT) {
                return new Result(Kind.MALFORMED, "a frame is a JSON object", null);
            }
            s.object(frameType, "", 0);
            if (s.in.peek() != JsonToken.END_DOCUMENT) {
                return new Result(Kind.MALFORMED, "data after the frame's object", s.id);
            }
        } catch (WrongType e) {
            return new Result(Kind.MALFORMED, e.getMessage(), s.id);
        } catch (IOException | RuntimeException e) {
            return new Result(Kind.MALFORMED, "not valid JSON" + where(e), s.id);
        }
        if (s.unknownTop != null && !s.knownBody) {
            return new Result(Kind.UNKNOWN_FRAME_TYPE, s.unknownTop, s.id);
        }
        String unknown = s.unknownTop != null ? s.unknownTop : s.unknownNested;
        return unknown == null ? new Result(Kind.OK, "", s.id) : new Result(Kind.UNKNOWN_FIELD, unknown, s.id);
    }

    private void object(Descriptor type, String path, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new WrongType("objects nested deeper than " + MAX_DEPTH + " levels");
        }
        boolean top = depth == 0;
        Set<FieldDescriptor> seen = new HashSet<>();
        in.beginObject();
        while (in.hasNext()) {
            String key = in.nextName();
            FieldDescriptor fd = field(type, key);
            if (fd == null) {
                if (top && unknownTop == null) {
                    unknownTop = key;
                } else if (!top && unknownNested == null) {
                    unknownNested = path + key;
                }
                in.skipValue();
                continue;
            }
            if (!seen.add(fd)) {
                throw new WrongType(path + key + " is given twice");
            }
            if (in.peek() == JsonToken.NULL) {
                in.nextNull(); // the mapping's "absent"
                continue;
            }
            if (top && fd.getRealContainingOneof() != null) {
                knownBody = true;
            }
            if (fd.isRepeated()) {
                expect(JsonToken.BEGIN_ARRAY, path + key, "an array");
                in.beginArray();
                for (int i = 0; in.hasNext(); i++) {
                    value(fd, path + key + "[" + i + "]", depth);
                }
                in.endArray();
            } else {
                value(fd, path + key, depth);
            }
        }
        in.endObject();
    }

    private void value(FieldDescriptor fd, String path, int depth) throws IOException {
        JsonToken t = in.peek();
        switch (fd.getJavaType()) {
            case STRING, BYTE_STRING -> {
                expect(JsonToken.STRING, path, "a string");
                if (depth == 0 && fd.getName().equals("id")) {
                    id = in.nextString();
                } else {
                    in.skipValue();
                }
            }
            case BOOLEAN -> {
                expect(JsonToken.BOOLEAN, path, "true or false");
                in.nextBoolean();
            }
            case INT, LONG, FLOAT, DOUBLE -> {
                if (t != JsonToken.NUMBER && t != JsonToken.STRING) {
                    throw wrong(path, "a number", t);
                }
                in.skipValue(); // protobuf's parser checks the digits and the range
            }
            case ENUM -> {
                if (t == JsonToken.NUMBER) {
                    in.skipValue();
                } else if (t == JsonToken.STRING) {
                    String name = in.nextString();
                    if (fd.getEnumType().findValueByName(name) == null && !isInteger(name) && unknownNested == null) {
                        unknownNested = path + " value " + name;
                    }
                } else {
                    throw wrong(path, "an enum value name or number", t);
                }
            }
            case MESSAGE -> {
                expect(JsonToken.BEGIN_OBJECT, path, "an object");
                object(fd.getMessageType(), path + ".", depth + 1);
            }
        }
    }

    private void expect(JsonToken wanted, String path, String what) throws IOException {
        JsonToken t = in.peek();
        if (t != wanted) {
            throw wrong(path, what, t);
        }
    }

    private static WrongType wrong(String path, String what, JsonToken found) {
        return new WrongType(path + " must be " + what + ", not " + switch (found) {
            case BEGIN_OBJECT -> "an object";
            case BEGIN_ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> found.name().toLowerCase(java.util.Locale.ROOT);
        });
    }

    /** By JSON name (lowerCamelCase) or by the .proto name, as protobuf's parser accepts both. */
    private static FieldDescriptor field(Descriptor type, String key) {
        return FIELDS.computeIfAbsent(type, t -> {
            Map<String, FieldDescriptor> byName = new HashMap<>();
            for (FieldDescriptor fd : t.getFields()) {
                byName.put(fd.getName(), fd);
                byName.put(fd.getJsonName(), fd);
            }
            return Map.copyOf(byName);
        }).get(key);
    }

    private static boolean isInteger(String s) {
        try {
            Integer.parseInt(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Where Gson's syntax error was, without its advice to the server's own code ("setLenient"). */
    private static String where(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int at = m.indexOf(" at line ");
        return at < 0 ? "" : m.substring(at);
    }

    /** A value of the wrong JSON type for its field (or a repeated key): malformed, not unknown. */
    private static final class WrongType extends RuntimeException {
        WrongType(String message) {
            super(message, null, false, false);
        }
    }
}
