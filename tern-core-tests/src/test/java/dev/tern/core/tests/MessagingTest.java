package dev.tern.core.tests;

import dev.tern.core.ErrorCode;
import dev.tern.core.Principal;
import dev.tern.core.store.BodyKind;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.view.MessageView;
import dev.tern.core.view.Sent;
import dev.tern.core.view.Update;
import org.junit.jupiter.api.Test;

import static dev.tern.core.tests.CoreFixture.await;
import static dev.tern.core.tests.Refusals.codeOf;
import static dev.tern.core.tests.Views.text;
import static org.assertj.core.api.Assertions.assertThat;

/** Sending: validation of content and targets, replies, mentions, forwards and the pushes that follow. */
class MessagingTest extends CoreTestBase {
    private final long g = fx.group(alice, bob);

    private ErrorCode refusal(OutgoingBuilder req) {
        return codeOf(() -> fx.messaging.send(alice, req.build()));
    }

    private MessageView newest(Principal who, long conversationId) {
        return fx.history(who, conversationId).messages().getFirst();
    }

    @Test
    void contentMustBeTextOrDataWithinTheSizeLimit() {
        assertThat(refusal(CoreFixture.text(g, "x").noContent())).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(refusal(CoreFixture.text(g, "x".repeat(CoreFixture.MAX_BODY + 1))))
                .isEqualTo(ErrorCode.BODY_TOO_LARGE);
        // The limit counts UTF-8 bytes, not characters.
        assertThat(refusal(CoreFixture.text(g, "é".repeat(CoreFixture.MAX_BODY / 2 + 1))))
                .isEqualTo(ErrorCode.BODY_TOO_LARGE);
        assertThat(fx.send(alice, g, "x".repeat(CoreFixture.MAX_BODY)).seq()).isEqualTo(2);
        Sent data = await(fx.messaging.send(alice, CoreFixture.text(g, "")
                .data(new byte[]{1, 2, 3}).contentType("application/x-test").build()));
        MessageView stored = newest(bob, g);
        assertThat(stored.record().bodyKind()).isEqualTo(BodyKind.DATA);
        assertThat(Views.data(stored)).containsExactly(1, 2, 3);
        assertThat(data.seq()).isEqualTo(3);
    }

    @Test
    void aSendNamesAConversationOrAPeer() {
        // Conversation 0 is no conversation (a client that sets the field to 0): refused, nothing stored.
        assertThat(refusal(CoreFixture.text(0, "x"))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(refusal(OutgoingBuilder.empty().contentType("text/plain").text("x")))
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(fx.store.lastSeq(g)).isEqualTo(1);
    }

    @Test
    void contentTypeMustBeOneTo128Characters() {
        assertThat(refusal(CoreFixture.text(g, "x").contentType(""))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(refusal(CoreFixture.text(g, "x").contentType("t".repeat(129)))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(fx.store.lastSeq(g)).isEqualTo(1);
    }

    @Test
    void aSendNamesAnExistingConversationOrAnotherUser() {
        assertThat(refusal(OutgoingBuilder.empty().clientMsgId("t").contentType("text/plain").text("x")))
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(codeOf(() -> fx.sendTo(alice, alice, "me"))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(refusal(OutgoingBuilder.textTo("no_such_user", "x").clientMsgId("t")))
                .isEqualTo(ErrorCode.USER_NOT_FOUND);
    }

    @Test
    void aDirectChatIsCreatedOnceWhicheverSideWritesFirst() {
        Sent first = fx.sendTo(alice, bob, "hi");
        Sent reply = fx.sendTo(bob, alice, "hello");
        assertThat(reply.conversationId()).isEqualTo(first.conversationId());
        assertThat(reply.seq()).isEqualTo(2);
        assertThat(fx.store.conversationsOf(bob.userId())).containsExactlyInAnyOrder(g, first.conversationId());
    }

    @Test
    void aReplyMustNameAMessageTheCallerCanRead() {
        long seq = fx.send(bob, g, "question").seq();
        assertThat(refusal(CoreFixture.text(g, "?").replyTo(seq + 5))).isEqualTo(ErrorCode.MESSAGE_NOT_FOUND);
        assertThat(refusal(OutgoingBuilder.textTo("bob", "x").clientMsgId("r").replyTo(seq)))
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        await(fx.messaging.send(alice, CoreFixture.text(g, "answer").replyTo(seq).build()));
        assertThat(newest(bob, g).record().extras().replyToSeq()).isEqualTo(seq);
        await(fx.edits.recall(bob, g, seq));
        assertThat(refusal(CoreFixture.text(g, "late").replyTo(seq))).isEqualTo(ErrorCode.NOT_EDITABLE);
    }

    @Test
    void onlyMembersOtherThanTheSenderAreMentioned() {
        Principal eve = fx.user("eve");
        fx.fanout.clear();
        Sent ack = fx.send(alice, g, "hi @Bob, @eve and @alice.");
        MessageView m = newest(bob, g);
        assertThat(m.record().extras().mentions()).containsExactly(bob.userId());
        Update pushed = fx.fanout.updates(bob.userId()).getLast();
        assertThat(Views.posted(pushed).seq()).isEqualTo(ack.seq());
        assertThat(pushed.mentioned()).isTrue();
        assertThat(fx.fanout.updates(eve.userId())).isEmpty();
        fx.send(bob, g, "no one @here");
        assertThat(fx.fanout.updates(alice.userId()).getLast().mentioned()).isFalse();
    }

    @Test
    void aForwardOfAForwardKeepsTheFirstAuthor() {
        Principal carol = fx.user("carol");
        long original = fx.send(alice, g, "original words").seq();
        Sent once = await(fx.messaging.send(bob, OutgoingBuilder.empty().peer("carol").clientMsgId("fw1")
                .forward(g, original).build()));
        long other = fx.group(carol, alice);
        await(fx.messaging.send(carol, CoreFixture.text(other, "").noContent().contentType("")
                .forward(once.conversationId(), once.seq()).build()));
        MessageView twice = newest(alice, other);
        MessageRecord.Extras x = twice.record().extras();
        assertThat(text(twice)).isEqualTo("original words");
        assertThat(twice.record().senderId()).isEqualTo(carol.userId());
        assertThat(x.forwarded()).isTrue();
        assertThat(x.forwardSenderId()).isEqualTo(alice.userId());
        assertThat(x.forwardSenderName()).isEqualTo("alice");
    }

    @Test
    void aForwardCarriesNoContentOfItsOwnAndNoServiceMessage() {
        long seq = fx.send(bob, g, "x").seq();
        assertThat(refusal(CoreFixture.text(g, "extra").forward(g, seq))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(refusal(CoreFixture.text(g, "").noContent().contentType("").forward(g, 1)))
                .isEqualTo(ErrorCode.NOT_EDITABLE);
    }

    @Test
    void everyMemberDeviceButTheSendingOneGetsThePush() {
        Principal alicePhone = fx.login("alice");
        fx.fanout.clear();
        Sent ack = fx.send(alice, g, "ping");
        RecordingFanout.Pushed toAlice = fx.fanout.pushed(alice.userId()).getFirst();
        assertThat(toAlice.exceptDeviceId()).isEqualTo(alice.deviceId()).isNotEqualTo(alicePhone.deviceId());
        RecordingFanout.Pushed toBob = fx.fanout.pushed(bob.userId()).getFirst();
        assertThat(toBob.exceptDeviceId()).isZero();
        Update u = toBob.update();
        assertThat(text(Views.posted(u))).isEqualTo("ping");
        assertThat(u.pts()).isEqualTo(fx.ledger.lastPts(bob.userId()));
        assertThat(u.prevPts()).isEqualTo(u.pts() - 1);
        assertThat(toAlice.update().pts()).isEqualTo(ack.pts());
    }
}
