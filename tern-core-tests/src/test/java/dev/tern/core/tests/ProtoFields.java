package dev.tern.core.tests;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import dev.tern.core.media.Attachment;
import dev.tern.core.store.MemberRole;
import dev.tern.core.view.ServiceEvent;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the core's stored protobuf encodings field by field, with no generated classes: this module
 * does not depend on tern-protocol, and a reader of its own checks the encoders against the field
 * numbers and wire types of frames.proto rather than against themselves.
 */
final class ProtoFields {
    static final int VARINT = 0;
    static final int LENGTH_DELIMITED = 2;

    private ProtoFields() {}

    /** One field as it is on the wire: its number, wire type, and value (a varint or the bytes). */
    record Field(int number, int wireType, long varint, ByteString bytes) {
        String string() {
            expect(LENGTH_DELIMITED);
            return bytes.toStringUtf8();
        }

        long uint() {
            expect(VARINT);
            return varint;
        }

        boolean bool() {
            expect(VARINT);
            if (varint != 1) {
                throw new AssertionError("field " + number + ": a bool on the wire is 1, not " + varint);
            }
            return true;
        }

        private void expect(int type) {
            if (wireType != type) {
                throw new AssertionError("field " + number + " has wire type " + wireType + ", expected " + type);
            }
        }
    }

    /** The fields of {@code encoded} in the order they were written. */
    static List<Field> read(byte[] encoded) {
        List<Field> out = new ArrayList<>();
        CodedInputStream in = CodedInputStream.newInstance(encoded);
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                int number = tag >>> 3;
                int type = tag & 7;
                out.add(switch (type) {
                    case VARINT -> new Field(number, type, in.readRawVarint64(), ByteString.EMPTY);
                    case LENGTH_DELIMITED -> new Field(number, type, 0, in.readBytes());
                    default -> throw new AssertionError("field " + number + ": unexpected wire type " + type);
                });
            }
        } catch (IOException e) {
            throw new AssertionError("not a protobuf message", e);
        }
        return out;
    }

    /** A stored service event (frames.proto's ServiceEvent), as the core's record. */
    static ServiceEvent serviceEvent(byte[] encoded) {
        ServiceEvent e = null;
        for (Field f : read(encoded)) {
            if (f.number() == 1) {
                e = ServiceEvent.of(ServiceEvent.Type.values()[(int) f.uint() - 1]);
                continue;
            }
            if (e == null) {
                throw new AssertionError("the type (field 1) comes first, found field " + f.number());
            }
            e = switch (f.number()) {
                case 2 -> e.withTarget(f.uint(), e.targetUsername());
                case 3 -> e.withTarget(e.targetUserId(), f.string());
                case 4 -> e.withTitle(f.string());
                case 5 -> e.withRole(MemberRole.values()[(int) f.uint() - 1]);
                case 6 -> e.withMessageSeq(f.uint());
                case 7 -> e.withDescription(f.string());
                case 8 -> e.withPostingRules(f.bool(), e.slowModeSeconds());
                case 9 -> e.withPostingRules(e.adminsOnly(), (int) f.uint());
                case 10 -> e.withBanned(f.bool());
                default -> throw new AssertionError("ServiceEvent has no field " + f.number());
            };
        }
        if (e == null) {
            throw new AssertionError("a service event without its type (field 1)");
        }
        return e;
    }

    /** A stored media description (frames.proto's Media), as the core's record. */
    static Attachment attachment(ByteString encoded) {
        String mediaId = "";
        String mime = "";
        long size = 0;
        String fileName = "";
        int width = 0;
        int height = 0;
        boolean thumbnail = false;
        String sha256 = "";
        long durationMs = 0;
        for (Field f : read(encoded.toByteArray())) {
            switch (f.number()) {
                case 1 -> mediaId = f.string();
                case 2 -> mime = f.string();
                case 3 -> size = f.uint();
                case 4 -> fileName = f.string();
                case 5 -> width = (int) f.uint();
                case 6 -> height = (int) f.uint();
                case 7 -> thumbnail = f.bool();
                case 8 -> sha256 = f.string();
                case 9 -> durationMs = f.uint();
                default -> throw new AssertionError("Media has no field " + f.number());
            }
        }
        return new Attachment(mediaId, mime, size, fileName, width, height, thumbnail, sha256, durationMs);
    }
}
