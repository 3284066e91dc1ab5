package dev.tern.gateway;

import com.google.protobuf.CodedOutputStream;
import dev.tern.protocol.FrameCodec;
import dev.tern.protocol.v1.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Outbound encoding: a server frame becomes a WebSocket text frame (canonical JSON) or binary frame
 * (protobuf), as the connection's subprotocol says. Stateless; called on the connection's event loop,
 * so the encoding cost stays off the publisher and request threads.
 */
final class FrameEncoder {
    private FrameEncoder() {}

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
