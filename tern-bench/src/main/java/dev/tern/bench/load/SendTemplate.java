package dev.tern.bench.load;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Send;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A binary {@code send} to one conversation, encoded once as a complete client WebSocket frame;
 * each send copies it and patches the request id, the client message id and the 8-byte timestamp
 * at the start of the body. For load that must be offered faster than the server can take it, the
 * generator cannot afford a protobuf build and a masking pass per send.
 *
 * <p>Ids are fixed-width decimal so every frame has the same length. The mask key is zero, which
 * RFC 6455 allows and which makes masking the identity: the server unmasks like any other frame.
 */
public final class SendTemplate {
    /** Digits of the request id and the client message id. */
    public static final int DIGITS = 12;
    private static final byte[] ID_MARK = "AAAAAAAAAAAA".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MSG_MARK = "BBBBBBBBBBBB".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STAMP_MARK = "CCCCCCCC".getBytes(StandardCharsets.US_ASCII);

    private final byte[] wire;
    private final int idAt;
    private final int msgIdAt;
    private final int stampAt;

    public SendTemplate(long conversationId, int bodyBytes) {
        if (bodyBytes < STAMP_MARK.length) {
            throw new IllegalArgumentException("body must have room for the 8-byte timestamp");
        }
        byte[] body = new byte[bodyBytes];
        System.arraycopy(STAMP_MARK, 0, body, 0, STAMP_MARK.length);
        byte[] payload = ClientFrame.newBuilder().setId(new String(ID_MARK, StandardCharsets.US_ASCII))
                .setSend(Send.newBuilder().setConversationId(conversationId)
                        .setClientMsgId(new String(MSG_MARK, StandardCharsets.US_ASCII))
                        .setContentType("application/octet-stream").setData(ByteString.copyFrom(body)))
                .build().toByteArray();
        int header = payload.length < 126 ? 6 : 8;
        if (payload.length > 0xFFFF) {
            throw new IllegalArgumentException("body too large for a template");
        }
        wire = new byte[header + payload.length];
        wire[0] = (byte) 0x82; // FIN, binary
        if (header == 6) {
            wire[1] = (byte) (0x80 | payload.length);
        } else {
            wire[1] = (byte) (0x80 | 126);
            wire[2] = (byte) (payload.length >>> 8);
            wire[3] = (byte) payload.length;
        }
        // wire[header-4 .. header-1]: the zero mask key
        System.arraycopy(payload, 0, wire, header, payload.length);
        idAt = find(wire, ID_MARK);
        msgIdAt = find(wire, MSG_MARK);
        stampAt = find(wire, STAMP_MARK);
    }

    /** A new buffer holding the frame for request {@code id}, client message id {@code msgId}, stamp {@code stamp}. */
    public ByteBuf frame(ByteBufAllocator alloc, long id, long msgId, long stamp) {
        ByteBuf b = alloc.buffer(wire.length);
        b.writeBytes(wire);
        digits(b, idAt, id);
        digits(b, msgIdAt, msgId);
        b.setLong(stampAt, stamp);
        return b;
    }

    private static void digits(ByteBuf b, int at, long v) {
        for (int i = DIGITS - 1; i >= 0; i--) {
            b.setByte(at + i, '0' + (int) (v % 10));
            v /= 10;
        }
    }

    private static int find(byte[] hay, byte[] needle) {
        int at = -1;
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                if (at >= 0) {
                    throw new IllegalStateException("marker found twice");
                }
                at = i;
            }
        }
        if (at < 0) {
            throw new IllegalStateException("marker not found");
        }
        return at;
    }

    /** Receives a stamped message push: its conversation and the send's stamp. */
    public interface StampedPush {
        void accept(long conversationId, long stamp);
    }

    /**
     * A raw handler for a receiving connection: consumes every push, hands stamped message pushes to
     * {@code each}, and leaves other frames (answers to requests) to {@link WsClient}.
     */
    public static WsClient.RawHandler pushes(StampedPush each) {
        Reply r = new Reply(); // one per connection: read on its event loop only
        return (c, b) -> {
            if (!r.read(b) || r.kind != Kind.PUSH) {
                return false;
            }
            if (r.stamp >= 0) {
                each.accept(r.conversationId, r.stamp);
            }
            return true;
        };
    }

    /** What a server frame is, read without building it. */
    public enum Kind { ACK, REFUSED, ERROR, PUSH, OTHER }

    /**
     * The parts of a server frame the hot path needs: its kind, request id (-1 if none), ack seq, and
     * for an update push of a message whose data starts with a send's 8-byte stamp, that stamp (-1 if
     * none) and the message's conversation.
     */
    public static final class Reply {
        public Kind kind;
        public long id;
        public long seq;
        public int retryAfterMs;
        public long stamp;
        public long conversationId;

        /** Reads {@code frame} (binary ServerFrame) into this; false if it is not protobuf. */
        public boolean read(ByteBuf frame) {
            kind = Kind.OTHER;
            id = -1;
            seq = 0;
            retryAfterMs = 0;
            stamp = -1;
            conversationId = 0;
            try {
                CodedInputStream in = CodedInputStream.newInstance(frame.nioBuffer());
                int tag;
                while ((tag = in.readTag()) != 0) {
                    switch (tag >>> 3) {
                        case 1 -> id = parseId(in.readBytes());
                        case 14 -> {
                            kind = Kind.ACK;
                            int limit = in.pushLimit(in.readRawVarint32());
                            int t;
                            while ((t = in.readTag()) != 0) {
                                if (t >>> 3 == 3) {
                                    seq = in.readUInt64();
                                } else {
                                    in.skipField(t);
                                }
                            }
                            in.popLimit(limit);
                        }
                        case 20 -> {
                            kind = Kind.ERROR;
                            int limit = in.pushLimit(in.readRawVarint32());
                            int t;
                            while ((t = in.readTag()) != 0) {
                                if (t >>> 3 == 1) {
                                    if (in.readEnum() == ErrorCode.OVERLOADED_VALUE) {
                                        kind = Kind.REFUSED;
                                    }
                                } else if (t >>> 3 == 4) {
                                    retryAfterMs = in.readUInt32();
                                } else {
                                    in.skipField(t);
                                }
                            }
                            in.popLimit(limit);
                        }
                        case 30 -> {
                            kind = Kind.PUSH;
                            int limit = in.pushLimit(in.readRawVarint32());
                            update(in);
                            in.popLimit(limit);
                        }
                        case 31, 32 -> {
                            kind = Kind.PUSH;
                            in.skipField(tag);
                        }
                        default -> in.skipField(tag);
                    }
                }
                return true;
            } catch (IOException | NumberFormatException e) {
                return false;
            }
        }

        /** UpdatePush: its update (field 1). */
        private void update(CodedInputStream in) throws IOException {
            nested(in, 1, this::message);
        }

        /** Update: its message (field 3), the new-message case. */
        private void message(CodedInputStream in) throws IOException {
            nested(in, 3, this::messageFields);
        }

        /** Message: conversation_id (1) and the stamp at the start of data (9). */
        private void messageFields(CodedInputStream in) throws IOException {
            int t;
            while ((t = in.readTag()) != 0) {
                if (t == (1 << 3)) {
                    conversationId = in.readUInt64();
                } else if (t == (9 << 3 | 2)) {
                    ByteString data = in.readBytes();
                    if (data.size() >= 8) {
                        stamp = data.asReadOnlyByteBuffer().getLong();
                    }
                } else {
                    in.skipField(t);
                }
            }
        }

        private interface Part {
            void read(CodedInputStream in) throws IOException;
        }

        /** Reads the embedded message in field {@code number} with {@code part}; skips the rest. */
        private static void nested(CodedInputStream in, int number, Part part) throws IOException {
            int t;
            while ((t = in.readTag()) != 0) {
                if (t == (number << 3 | 2)) {
                    int limit = in.pushLimit(in.readRawVarint32());
                    part.read(in);
                    in.popLimit(limit);
                } else {
                    in.skipField(t);
                }
            }
        }

        private static long parseId(ByteString s) {
            if (s.isEmpty()) {
                return -1;
            }
            long v = 0;
            for (int i = 0; i < s.size(); i++) {
                int d = s.byteAt(i) - '0';
                if (d < 0 || d > 9) {
                    throw new NumberFormatException("id " + s.toStringUtf8());
                }
                v = v * 10 + d;
            }
            return v;
        }
    }
}
