package dev.tern.protocol;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.tern.protocol.v1.ErrorCode;

/**
 * What a parsed binary frame holds beyond the schema. Protobuf keeps two different things among a
 * message's unknown fields: numbers the schema does not define (a newer client's fields:
 * {@code UNKNOWN_FIELD}), and numbers it does define but with a wire type that does not fit the
 * field, such as a varint where a string belongs ({@code MALFORMED_FRAME}, as a JSON value of the
 * wrong type is). The second kind wins wherever it is, as in the JSON decoder.
 *
 * <p>Only message-typed fields are descended into (scalars cannot hide unknown fields), and a oneof
 * is checked through its one set member, so a flat request costs a handful of checks rather than
 * the reflective map of every set field.
 */
final class UnknownFields {
    /** The worst finding: its code (null when the frame is clean) and where it is. */
    record Finding(ErrorCode code, String path) {
        static final Finding NONE = new Finding(null, "");
    }

    /**
     * Where unknown fields can hide in one message type: its oneofs that have a message-typed member,
     * and its message-typed fields outside oneofs. Worked out once per type: walking a descriptor's
     * fields and oneofs reflectively for every frame cost about 5 % of the server's CPU per send.
     */
    private record Plan(java.util.List<com.google.protobuf.Descriptors.OneofDescriptor> oneofs,
                        java.util.List<FieldDescriptor> fields) {
        static Plan of(Descriptor type) {
            var oneofs = type.getOneofs().stream()
                    .filter(o -> o.getFields().stream().anyMatch(f -> f.getJavaType() == FieldDescriptor.JavaType.MESSAGE))
                    .toList();
            var fields = type.getFields().stream()
                    .filter(f -> f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && f.getRealContainingOneof() == null)
                    .toList();
            return new Plan(oneofs, fields);
        }
    }

    private static final java.util.concurrent.ConcurrentHashMap<Descriptor, Plan> PLANS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private UnknownFields() {}

    static Finding in(Message m) {
        return scan(m, "");
    }

    private static Finding scan(Message m, String path) {
        Finding worst = Finding.NONE;
        Descriptor type = m.getDescriptorForType();
        var unknown = m.getUnknownFields();
        if (unknown.getSerializedSize() > 0) { // asMap() builds a map: only when there is something
            for (int number : unknown.asMap().keySet()) {
                FieldDescriptor known = type.findFieldByNumber(number);
                if (known != null) {
                    return new Finding(ErrorCode.MALFORMED_FRAME, path + known.getJsonName() + " has the wrong wire type");
                }
                if (worst.code() == null) {
                    worst = new Finding(ErrorCode.UNKNOWN_FIELD, path + "#" + number);
                }
            }
        }
        Plan plan = PLANS.computeIfAbsent(type, Plan::of);
        for (var oneof : plan.oneofs()) {
            FieldDescriptor set = m.getOneofFieldDescriptor(oneof);
            if (set != null && set.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                worst = worse(worst, scan((Message) m.getField(set), path + set.getJsonName() + "."));
                if (worst.code() == ErrorCode.MALFORMED_FRAME) {
                    return worst;
                }
            }
        }
        for (FieldDescriptor fd : plan.fields()) {
            if (fd.isRepeated()) {
                for (int i = 0, n = m.getRepeatedFieldCount(fd); i < n; i++) {
                    worst = worse(worst, scan((Message) m.getRepeatedField(fd, i), path + fd.getJsonName() + "[" + i + "]."));
                }
            } else if (m.hasField(fd)) {
                worst = worse(worst, scan((Message) m.getField(fd), path + fd.getJsonName() + "."));
            }
            if (worst.code() == ErrorCode.MALFORMED_FRAME) {
                return worst;
            }
        }
        return worst;
    }

    private static Finding worse(Finding a, Finding b) {
        if (a.code() == ErrorCode.MALFORMED_FRAME || b.code() == null) {
            return a;
        }
        return b.code() == ErrorCode.MALFORMED_FRAME || a.code() == null ? b : a;
    }
}
