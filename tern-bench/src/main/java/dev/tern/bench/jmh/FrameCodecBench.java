package dev.tern.bench.jmh;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.tern.protocol.FrameCodec;
import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.ConversationKind;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.Send;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.protocol.v1.Update;
import dev.tern.protocol.v1.UpdatePush;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The per-frame codec cost of the two hottest frames: the client's send and the server's update
 * push, each with a 100-byte text body, in both subprotocols. Binary is what the ceiling and the
 * load generator use; JSON shows what a browser client costs the server.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class FrameCodecBench {
    static final String BODY = "x".repeat(100);

    // JsonFormat's parser is immutable and thread-safe; FrameCodec only decodes client frames.
    private static final JsonFormat.Parser SERVER_JSON = JsonFormat.parser();

    ServerFrame push;
    ClientFrame send;
    byte[] pushBytes;
    byte[] sendBytes;
    String pushJson;
    String sendJson;

    @Setup
    public void setup() {
        push = ServerFrame.newBuilder().setUpdate(UpdatePush.newBuilder().setUpdate(Update.newBuilder()
                .setPts(123_456).setPrevPts(123_455).setMessage(Message.newBuilder()
                        .setConversationId(4242).setSeq(987_654).setSenderId(17).setSenderName("user_0017")
                        .setSenderDeviceId(33).setClientMsgId("c-0017-000000123456").setContentType("text/plain")
                        .setText(BODY).setTsMs(1_767_225_600_000L).setConversationKind(ConversationKind.DIRECT))))
                .build();
        send = ClientFrame.newBuilder().setId("r-123456").setSend(Send.newBuilder().setPeer("user_0018")
                .setClientMsgId("c-0017-000000123456").setContentType("text/plain").setText(BODY)).build();
        pushBytes = push.toByteArray();
        sendBytes = send.toByteArray();
        pushJson = FrameCodec.toJson(push);
        sendJson = FrameCodec.toJson(send);
    }

    @Benchmark
    public byte[] pushEncodeBinary() {
        return push.toByteArray();
    }

    @Benchmark
    public ServerFrame pushDecodeBinary() throws InvalidProtocolBufferException {
        return ServerFrame.parseFrom(pushBytes);
    }

    @Benchmark
    public String pushEncodeJson() {
        return FrameCodec.toJson(push);
    }

    @Benchmark
    public ServerFrame pushDecodeJson() throws InvalidProtocolBufferException {
        ServerFrame.Builder b = ServerFrame.newBuilder();
        SERVER_JSON.merge(pushJson, b);
        return b.build();
    }

    @Benchmark
    public byte[] sendEncodeBinary() {
        return send.toByteArray();
    }

    @Benchmark
    public ClientFrame sendDecodeBinary() throws InvalidProtocolBufferException {
        return ClientFrame.parseFrom(sendBytes);
    }

    /** The gateway's strict path: unknown-field check included. */
    @Benchmark
    public FrameCodec.Decoded sendDecodeBinaryStrict() {
        return FrameCodec.decodeBinary(sendBytes);
    }

    @Benchmark
    public String sendEncodeJson() {
        return FrameCodec.toJson(send);
    }

    @Benchmark
    public FrameCodec.Decoded sendDecodeJson() {
        return FrameCodec.decodeJson(sendJson);
    }
}
