package dev.tern.core.media;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The description of media a message carries. Stored in the message's extras in the protobuf
 * encoding of frames.proto's {@code Media} (field numbers below), the form data directories already
 * hold; the edge hands it to clients after one decode. A test at the edge checks that
 * {@link #encode} and the generated parser agree.
 */
public record Attachment(String mediaId, String mime, long size, String fileName, int width, int height,
                         boolean hasThumbnail, String sha256, long durationMs) {

    /** The stored form (proto3: fields at their default are left out). */
    public ByteString encode() {
        try {
            ByteString.Output out = ByteString.newOutput(64 + mediaId.length() + mime.length() + fileName.length());
            CodedOutputStream o = CodedOutputStream.newInstance(out);
            if (!mediaId.isEmpty()) {
                o.writeString(1, mediaId);
            }
            if (!mime.isEmpty()) {
                o.writeString(2, mime);
            }
            if (size != 0) {
                o.writeUInt64(3, size);
            }
            if (!fileName.isEmpty()) {
                o.writeString(4, fileName);
            }
            if (width != 0) {
                o.writeUInt32(5, width);
            }
            if (height != 0) {
                o.writeUInt32(6, height);
            }
            if (hasThumbnail) {
                o.writeBool(7, true);
            }
            if (!sha256.isEmpty()) {
                o.writeString(8, sha256);
            }
            if (durationMs != 0) {
                o.writeUInt64(9, durationMs);
            }
            o.flush();
            return out.toByteString();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: writes to memory
        }
    }

    /** The media id in a stored description (field 1); IllegalStateException when it is corrupt. */
    public static String mediaIdOf(ByteString stored) {
        try {
            CodedInputStream in = stored.newCodedInput();
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    return "";
                }
                if (tag == (1 << 3 | 2)) {
                    return in.readStringRequireUtf8();
                }
                if (!in.skipField(tag)) {
                    return "";
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("corrupt media of a message", e);
        }
    }
}
