package dev.tern.protocol;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

/**
 * Checks that every string in a message is well-formed UTF-16, i.e. has no unpaired surrogate.
 *
 * <p>JSON can spell half of a surrogate pair (a lone escape in D800-DFFF), but a protobuf string is UTF-8 and
 * cannot hold one: the binary encoding silently turns it into {@code '?'}. A JSON frame carrying
 * one would be stored, acknowledged and pushed as different text than the client sent, so the JSON
 * decoder refuses it instead (found by FrameCodecFuzzTest's round-trip property).
 */
final class WellFormedStrings {
    private WellFormedStrings() {}

    /** True when no string field of the message or of any message inside it has an unpaired surrogate. */
    static boolean in(Message m) {
        for (FieldDescriptor fd : m.getDescriptorForType().getFields()) {
            boolean string = fd.getJavaType() == FieldDescriptor.JavaType.STRING;
            if (!string && fd.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            if (fd.isRepeated()) {
                for (int i = 0, n = m.getRepeatedFieldCount(fd); i < n; i++) {
                    if (!valueOk(m.getRepeatedField(fd, i), string)) {
                        return false;
                    }
                }
            } else if ((fd.hasPresence() ? m.hasField(fd) : string) && !valueOk(m.getField(fd), string)) {
                return false;
            }
        }
        return true;
    }

    private static boolean valueOk(Object value, boolean string) {
        return string ? isWellFormed((String) value) : in((Message) value);
    }

    /** True when every high surrogate is followed by a low one and every low one follows a high one. */
    static boolean isWellFormed(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
