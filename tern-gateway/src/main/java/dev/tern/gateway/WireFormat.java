package dev.tern.gateway;

import com.google.protobuf.CodedOutputStream;
import dev.tern.protocol.FrameCodec;
import dev.tern.protocol.v1.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Between WebSocket messages and protocol frames, in the connection's subprotocol: JSON text frames
 * (protobuf's canonical JSON mapping) or binary protobuf frames. Stateless; called on the
 * connection's event loop, so decoding and encoding cost stays off the publisher and request threads.
 */
final class WireFormat {
    private WireFormat() {}

    /** A client's message decoded, or null for what is not a data frame (Netty handles control frames). */
    static FrameCodec.Decoded decode(WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame text) {
            return FrameCodec.decodeJson(text.text());
        }
        if (frame instanceof BinaryWebSocketFrame bin) {
            return FrameCodec.decodeBinary(ByteBufUtil.getBytes(bin.content()));
        }
        return null;
    }

    static WebSocketFrame encode(ServerFrame frame, boolean binary, ByteBufAllocator alloc) {
        if (!binary) {
            return new TextWebSocketFrame(FrameCodec.toJson(frame));
        }
        int size = frame.getSerializedSize();
        ByteBuf buf = alloc.buffer(size);
        try {
            // Straight into the buffer's memory: an OutputStream adapter would copy through a 4 KiB
            // staging array, which costs milliseconds on a 1 MiB sync page.
            CodedOutputStream out = CodedOutputStream.newInstance(buf.nioBuffer(buf.writerIndex(), size));
            frame.writeTo(out);
            out.checkNoSpaceLeft();
            buf.writerIndex(buf.writerIndex() + size);
        } catch (java.io.IOException | RuntimeException e) {
            buf.release();
            throw new IllegalStateException("cannot encode " + frame.getBodyCase(), e);
        }
        return new BinaryWebSocketFrame(buf);
    }
}
