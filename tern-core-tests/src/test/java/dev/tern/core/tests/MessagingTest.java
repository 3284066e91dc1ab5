package dev.tern.core.tests;

import com.google.protobuf.ByteString;
import dev.tern.core.Principal;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.MessageRef;
import dev.tern.protocol.v1.Send;
import dev.tern.protocol.v1.SendAck;
import dev.tern.protocol.v1.Update;
import org.junit.jupiter.api.Test;

import static dev.tern.core.tests.CoreFixture.await;
import static dev.tern.core.tests.Refusals.codeOf;
import static org.assertj.core.api.Assertions.assertThat;

/** Sending: validation of content and targets, replies, mentions, forwards and the pushes that follow. */
class MessagingTest extends CoreTestBase {
    private final long g = fx.group(alice, bob);

    private ErrorCode refusal(Send.Builder req) {
        return codeOf(() -> fx.messaging.send(alice, req.build()));
    }

    private Message newest(Principal who, long conversationId) {
        return fx.history(who, conversationId).getMessages(0);
    }

    @Test
    void contentMustBeTextOrDataWithinTheSizeLimit() {
        assertThat(refusal(CoreFixture.text(g, "x").clearText())).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(refusal(CoreFixture.text(g, "x".repeat(CoreFixture.MAX_BODY + 1))))
                .isEqualTo(ErrorCode.BODY_TOO_LARGE);
        // The limit counts UTF-8 bytes, not characters.
        assertThat(refusal(CoreFixture.text(g, "é".repeat(CoreFixture.MAX_BODY / 2 + 1))))
                .isEqualTo(ErrorCode.BODY_TOO_LARGE);
        assertThat(fx.send(alice, g, "x".repeat(CoreFixture.MAX_BODY)).getSeq()).isEqualTo(2);
        SendAck data = await(fx.messaging.send(alice, CoreFixture.text(g, "")
                .setData(ByteString.copyFrom(new byte[]{1, 2, 3})).setContentType("application/x-test").build()));
        assertThat(newest(bob, g).getData().toByteArray()).containsExactly(1, 2, 3);
        assertThat(data.getSeq()).isEqualTo(3);
    }

    @Test
    void contentTypeMustBeOneTo128Characters() {
        assertThat(refusal(CoreFixture.text(g, "x").setContentType(""))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(refusal(CoreFixture.text(g, "x").setContentType("t".repeat(129)))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(fx.store.lastSeq(g)).isEqualTo(1);
    }

    @Test
    void aSendNamesAnExistingConversationOrAnotherUser() {
        assertThat(refusal(Send.newBuilder().setClientMsgId("t").setContentType("text/plain").setText("x")))
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(codeOf(() -> fx.sendTo(alice, alice, "me"))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(refusal(Send.newBuilder().setPeer("no_such_user").setClientMsgId("t")
                .setContentType("text/plain").setText("x"))).isEqualTo(ErrorCode.USER_NOT_FOUND);
    }

    @Test
    void aDirectChatIsCreatedOnceWhicheverSideWritesFirst() {
        SendAck first = fx.sendTo(alice, bob, "hi");
        SendAck reply = fx.sendTo(bob, alice, "hello");
        assertThat(reply.getConversationId()).isEqualTo(first.getConversationId());
        assertThat(reply.getSeq()).isEqualTo(2);
        assertThat(fx.store.conversationsOf(bob.userId())).containsExactlyInAnyOrder(g, first.getConversationId());
    }

    @Test
    void aReplyMustNameAMessageTheCallerCanRead() {
        long seq = fx.send(bob, g, "question").getSeq();
        assertThat(refusal(CoreFixture.text(g, "?").setReplyToSeq(seq + 5))).isEqualTo(ErrorCode.MESSAGE_NOT_FOUND);
        assertThat(refusal(Send.newBuilder().setPeer("bob").setClientMsgId("r").setContentType("text/plain")
                .setText("x").setReplyToSeq(seq))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        await(fx.messaging.send(alice, CoreFixture.text(g, "answer").setReplyToSeq(seq).build()));
        assertThat(newest(bob, g).getReplyToSeq()).isEqualTo(seq);
        await(fx.edits.recall(bob, g, seq));
        assertThat(refusal(CoreFixture.text(g, "late").setReplyToSeq(seq))).isEqualTo(ErrorCode.NOT_EDITABLE);
    }

    @Test
    void onlyMembersOtherThanTheSenderAreMentioned() {
        Principal eve = fx.user("eve");
        fx.fanout.clear();
        SendAck ack = fx.send(alice, g, "hi @Bob, @eve and @alice.");
        Message m = newest(bob, g);
        assertThat(m.getMentionIdsList()).containsExactly(bob.userId());
        Update pushed = fx.fanout.updates(bob.userId()).getLast();
        assertThat(pushed.getMessage().getSeq()).isEqualTo(ack.getSeq());
        assertThat(pushed.getMentioned()).isTrue();
        assertThat(fx.fanout.updates(eve.userId())).isEmpty();
        fx.send(bob, g, "no one @here");
        assertThat(fx.fanout.updates(alice.userId()).getLast().getMentioned()).isFalse();
    }

    @Test
    void aForwardOfAForwardKeepsTheFirstAuthor() {
        Principal carol = fx.user("carol");
        long original = fx.send(alice, g, "original words").getSeq();
        SendAck once = await(fx.messaging.send(bob, Send.newBuilder().setPeer("carol").setClientMsgId("fw1")
                .setForward(MessageRef.newBuilder().setConversationId(g).setSeq(original)).build()));
        long other = fx.group(carol, alice);
        await(fx.messaging.send(carol, CoreFixture.text(other, "").clearText().setContentType("")
                .setForward(MessageRef.newBuilder().setConversationId(once.getConversationId()).setSeq(once.getSeq()))
                .build()));
        Message twice = newest(alice, other);
        assertThat(twice.getText()).isEqualTo("original words");
        assertThat(twice.getSenderId()).isEqualTo(carol.userId());
        assertThat(twice.getForwarded().getSenderId()).isEqualTo(alice.userId());
        assertThat(twice.getForwarded().getSenderName()).isEqualTo("alice");
    }

    @Test
    void aForwardCarriesNoContentOfItsOwnAndNoServiceMessage() {
        long seq = fx.send(bob, g, "x").getSeq();
        MessageRef ref = MessageRef.newBuilder().setConversationId(g).setSeq(seq).build();
        assertThat(refusal(CoreFixture.text(g, "extra").setForward(ref))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(refusal(CoreFixture.text(g, "").clearText().setContentType("")
                .setForward(ref.toBuilder().setSeq(1)))).isEqualTo(ErrorCode.NOT_EDITABLE);
    }

    @Test
    void everyMemberDeviceButTheSendingOneGetsThePush() {
        Principal alicePhone = fx.login("alice");
        fx.fanout.clear();
        SendAck ack = fx.send(alice, g, "ping");
        RecordingFanout.Pushed toAlice = fx.fanout.pushed(alice.userId()).getFirst();
        assertThat(toAlice.exceptDeviceId()).isEqualTo(alice.deviceId()).isNotEqualTo(alicePhone.deviceId());
        RecordingFanout.Pushed toBob = fx.fanout.pushed(bob.userId()).getFirst();
        assertThat(toBob.exceptDeviceId()).isZero();
        Update u = toBob.frame().getUpdate().getUpdate();
        assertThat(u.getMessage().getText()).isEqualTo("ping");
        assertThat(u.getPts()).isEqualTo(fx.ledger.lastPts(bob.userId()));
        assertThat(u.getPrevPts()).isEqualTo(u.getPts() - 1);
        assertThat(toAlice.frame().getUpdate().getUpdate().getPts()).isEqualTo(ack.getPts());
    }
}
