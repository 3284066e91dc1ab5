package dev.tern.bench.load;

import com.google.protobuf.ByteString;
import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.Error;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.ReadMarker;
import dev.tern.protocol.v1.SendAck;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.protocol.v1.Update;
import dev.tern.protocol.v1.UpdatePush;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/** The generator's pre-encoded sends and its reading of replies, against the generated protobuf types. */
class SendTemplateTest {

    private static SendTemplate.Reply read(ServerFrame f) {
        SendTemplate.Reply r = new SendTemplate.Reply();
        assertThat(r.read(Unpooled.wrappedBuffer(f.toByteArray()))).isTrue();
        return r;
    }

    @Test
    void aTemplateFrameIsTheSendItStandsForWithItsIdsAndStamp() throws Exception {
        SendTemplate t = new SendTemplate(4242, 100);
        ByteBuf wire = t.frame(ByteBufAllocator.DEFAULT, 123_456_789_012L, 42, 0x0102030405060708L);
        int header = wire.getByte(1) == (byte) (0x80 | 126) ? 8 : 6;
        byte[] payload = new byte[wire.readableBytes() - header];
        wire.getBytes(header, payload);
        wire.release();
        ClientFrame f = ClientFrame.parseFrom(payload);
        assertThat(f.getId()).isEqualTo("123456789012");
        assertThat(f.getSend().getConversationId()).isEqualTo(4242);
        assertThat(f.getSend().getClientMsgId()).isEqualTo("000000000042");
        assertThat(f.getSend().getData().asReadOnlyByteBuffer().getLong()).isEqualTo(0x0102030405060708L);
    }

    @Test
    void acksRefusalsAndPushesAreReadWithoutBuildingThem() {
        SendTemplate.Reply ack = read(ServerFrame.newBuilder().setId("100000000007")
                .setSendAck(SendAck.newBuilder().setSeq(99).setConversationId(5)).build());
        assertThat(ack.kind).isEqualTo(SendTemplate.Kind.ACK);
        assertThat(ack.id).isEqualTo(100_000_000_007L);
        assertThat(ack.seq).isEqualTo(99);

        SendTemplate.Reply refused = read(ServerFrame.newBuilder().setId("8").setError(Error.newBuilder()
                .setCode(ErrorCode.OVERLOADED).setRetryAfterMs(250)).build());
        assertThat(refused.kind).isEqualTo(SendTemplate.Kind.REFUSED);
        assertThat(refused.retryAfterMs).isEqualTo(250);

        byte[] data = ByteBuffer.allocate(16).putLong(777_000L).array();
        SendTemplate.Reply push = read(ServerFrame.newBuilder().setUpdate(UpdatePush.newBuilder().setUpdate(
                Update.newBuilder().setPts(3).setPrevPts(2).setMessage(Message.newBuilder().setConversationId(31)
                        .setSeq(4).setSenderId(9).setData(ByteString.copyFrom(data))))).build());
        assertThat(push.kind).isEqualTo(SendTemplate.Kind.PUSH);
        assertThat(push.stamp).isEqualTo(777_000L);
        assertThat(push.conversationId).isEqualTo(31);

        SendTemplate.Reply marker = read(ServerFrame.newBuilder().setUpdate(UpdatePush.newBuilder().setUpdate(
                Update.newBuilder().setPts(5).setRead(ReadMarker.newBuilder().setConversationId(31).setUpToSeq(4))))
                .build());
        assertThat(marker.kind).isEqualTo(SendTemplate.Kind.PUSH);
        assertThat(marker.stamp).isEqualTo(-1);
    }
}
