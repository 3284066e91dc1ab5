package dev.tern.core.tests;

import dev.tern.core.Principal;
import dev.tern.core.store.UpdateKind;
import dev.tern.core.store.UpdateRecord;
import dev.tern.protocol.v1.EditMessage;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.GetReactions;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.Ok;
import dev.tern.protocol.v1.ReactionCount;
import dev.tern.protocol.v1.Reactor;
import dev.tern.protocol.v1.Role;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.tern.core.tests.CoreFixture.await;
import static dev.tern.core.tests.Refusals.codeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Edits, recalls, reactions, delete-for-me and pins of existing messages. */
class MessageEditsTest extends CoreTestBase {
    private final long g = fx.group(alice, bob);
    private final long seq = fx.send(bob, g, "original").getSeq();

    private EditMessage edit(String text) {
        return EditMessage.newBuilder().setConversationId(g).setSeq(seq).setText(text).build();
    }

    private Message message(Principal viewer, long s) {
        return fx.history(viewer, g).getMessagesList().stream().filter(m -> m.getSeq() == s).findFirst().orElseThrow();
    }

    private List<ReactionCount> reactions() {
        return message(alice, seq).getReactionsList();
    }

    @Test
    void anEditWithinTheWindowReplacesTheContentForEveryone() {
        fx.clock.advance(CoreFixture.EDIT_WINDOW.minusMinutes(1));
        Ok ok = await(fx.edits.edit(bob, edit("fixed")));
        Message m = message(alice, seq);
        assertThat(m.getText()).isEqualTo("fixed");
        assertThat(m.getEditedAtMs()).isEqualTo(fx.clock.millis());
        assertThat(m.getContentType()).isEqualTo("text/plain"); // kept when the edit names none
        UpdateRecord entry = fx.store.updatesAfter(alice.userId(), 0, 100).getLast();
        assertThat(entry.kind()).isEqualTo(UpdateKind.EDIT);
        assertThat(entry.seq()).isEqualTo(seq);
        assertThat(fx.fanout.updates(alice.userId()).getLast().getEdited().getText()).isEqualTo("fixed");
        assertThat(ok.getPts()).isEqualTo(fx.ledger.lastPts(bob.userId()));
    }

    @Test
    void anEditAfterTheWindowIsRefused() {
        fx.clock.advance(CoreFixture.EDIT_WINDOW.plusSeconds(1));
        assertThat(codeOf(() -> fx.edits.edit(bob, edit("too late")))).isEqualTo(ErrorCode.EDIT_WINDOW_PASSED);
        assertThat(message(alice, seq).getText()).isEqualTo("original");
    }

    @Test
    void onlyTheAuthorEditsAndOnlyOrdinaryMessages() {
        assertThat(codeOf(() -> fx.edits.edit(alice, edit("mine now")))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(codeOf(() -> fx.edits.edit(alice, edit("x").toBuilder().setSeq(1).build())))
                .isEqualTo(ErrorCode.NOT_EDITABLE); // alice's own service message: hers, but not editable
        assertThat(codeOf(() -> fx.edits.edit(bob, edit("x".repeat(CoreFixture.MAX_BODY + 1)))))
                .isEqualTo(ErrorCode.BODY_TOO_LARGE);
        assertThat(codeOf(() -> fx.edits.edit(bob, edit("x").toBuilder().setSeq(99).build())))
                .isEqualTo(ErrorCode.MESSAGE_NOT_FOUND);
    }

    @Test
    void theAuthorRecallsWithinTheWindowAndARepeatChangesNothing() {
        Ok ok = await(fx.edits.recall(bob, g, seq));
        Message m = message(alice, seq);
        assertThat(m.getRecalled()).isTrue();
        assertThat(m.getText()).isEmpty();
        assertThat(ok.getPts()).isPositive();
        long entries = fx.store.lastPts(alice.userId());
        assertThat(await(fx.edits.recall(bob, g, seq)).getPts()).isZero();
        assertThat(fx.store.lastPts(alice.userId())).isEqualTo(entries);
        assertThat(codeOf(() -> fx.edits.edit(bob, edit("back")))).isEqualTo(ErrorCode.NOT_EDITABLE);
    }

    @Test
    void afterTheRecallWindowOnlyAdminsMayRecall() {
        Principal carol = fx.user("carol");
        await(fx.groups.addMember(alice, g, "carol", Role.MEMBER));
        long carols = fx.send(carol, g, "carol's").getSeq();
        long bobsLater = fx.send(bob, g, "after carol joined").getSeq();
        assertThat(codeOf(() -> fx.edits.recall(carol, g, bobsLater))).isEqualTo(ErrorCode.FORBIDDEN);
        // A message from before carol joined is not hers to see, let alone delete.
        assertThat(codeOf(() -> fx.edits.recall(carol, g, seq))).isEqualTo(ErrorCode.MESSAGE_NOT_FOUND);
        fx.clock.advance(CoreFixture.EDIT_WINDOW.plus(Duration.ofMinutes(1)));
        assertThat(codeOf(() -> fx.edits.recall(bob, g, seq))).isEqualTo(ErrorCode.RECALL_WINDOW_PASSED);
        await(fx.edits.recall(alice, g, seq)); // the owner moderates at any time
        await(fx.edits.recall(alice, g, carols));
        assertThat(message(bob, seq).getRecalled()).isTrue();
        assertThat(message(bob, carols).getRecalled()).isTrue();
        assertThat(codeOf(() -> fx.edits.recall(alice, g, 1))).isEqualTo(ErrorCode.NOT_EDITABLE);
    }

    @Test
    void reactionsAreCountedPerEmojiInOrderOfFirstUse() {
        await(fx.edits.react(alice, g, seq, "👍", false));
        await(fx.edits.react(bob, g, seq, "👍", false));
        await(fx.edits.react(bob, g, seq, "❤", false));
        assertThat(reactions()).extracting(ReactionCount::getEmoji, ReactionCount::getCount)
                .containsExactly(tuple("👍", 2), tuple("❤", 1));
        await(fx.edits.react(alice, g, seq, "👍", true));
        assertThat(reactions()).extracting(ReactionCount::getEmoji, ReactionCount::getCount)
                .containsExactly(tuple("👍", 1), tuple("❤", 1));
        await(fx.edits.react(bob, g, seq, "❤", true));
        assertThat(reactions()).extracting(ReactionCount::getEmoji).containsExactly("👍");
        List<Reactor> who = fx.edits.reactions(alice, GetReactions.newBuilder().setConversationId(g).setSeq(seq)
                .build()).getReactorsList();
        assertThat(who).extracting(Reactor::getUsername).containsExactly("bob");
    }

    @Test
    void aRepeatedReactionChangesNothingAndEachUserHasAtMostThree() {
        assertThat(await(fx.edits.react(alice, g, seq, "a", false)).getPts()).isPositive();
        assertThat(await(fx.edits.react(alice, g, seq, "a", false)).getPts()).isZero();
        assertThat(await(fx.edits.react(alice, g, seq, "z", true)).getPts()).isZero();
        await(fx.edits.react(alice, g, seq, "b", false));
        await(fx.edits.react(alice, g, seq, "c", false));
        assertThat(codeOf(() -> fx.edits.react(alice, g, seq, "d", false))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(codeOf(() -> fx.edits.react(alice, g, seq, "", false))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(reactions()).extracting(ReactionCount::getCount).containsExactly(1, 1, 1);
    }

    @Test
    void deleteForMeHidesMessagesFromTheCallerOnly() {
        long second = fx.send(alice, g, "second").getSeq();
        Principal bobPhone = fx.login("bob");
        Ok ok = await(fx.edits.deleteForMe(bob, g, List.of(second, seq, seq)));
        assertThat(fx.history(bob, g).getMessagesList()).extracting(Message::getSeq).containsExactly(1L);
        assertThat(fx.history(alice, g).getMessagesList()).extracting(Message::getSeq).containsExactly(second, seq, 1L);
        // One HIDE entry per distinct message, consecutive in bob's log; the response spans them.
        List<UpdateRecord> hides = fx.store.updatesAfter(bob.userId(), ok.getPrevPts(), 10);
        assertThat(hides).extracting(UpdateRecord::kind, UpdateRecord::seq)
                .containsExactly(tuple(UpdateKind.HIDE, seq), tuple(UpdateKind.HIDE, second));
        assertThat(ok.getPts()).isEqualTo(hides.getLast().pts());
        assertThat(fx.fanout.pushed(bob.userId()).getLast().exceptDeviceId()).isEqualTo(bob.deviceId())
                .isNotEqualTo(bobPhone.deviceId());
        assertThat(codeOf(() -> fx.edits.deleteForMe(bob, g, List.of()))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void pinsAreKeptNewestFirstAndARecallUnpins() {
        long other = fx.send(alice, g, "other").getSeq();
        await(fx.pins.pin(alice, g, seq, false));
        await(fx.pins.pin(alice, g, other, false));
        assertThat(await(fx.pins.pin(alice, g, other, false)).getPts()).isZero();
        assertThat(fx.groups.info(bob, g).getPinnedSeqsList()).containsExactly(other, seq);
        await(fx.edits.recall(bob, g, seq));
        assertThat(fx.groups.info(bob, g).getPinnedSeqsList()).containsExactly(other);
        await(fx.pins.pin(alice, g, other, true));
        assertThat(fx.groups.info(bob, g).getPinnedSeqsList()).isEmpty();
        assertThat(codeOf(() -> fx.pins.pin(alice, g, seq, false))).isEqualTo(ErrorCode.NOT_EDITABLE);
    }

    @Test
    void anyMemberOfADirectChatMayPin() {
        long direct = fx.sendTo(alice, bob, "pin this").getConversationId();
        await(fx.pins.pin(bob, direct, 1, false));
        assertThat(fx.groups.info(alice, direct).getPinnedSeqsList()).containsExactly(1L);
        assertThat(fx.history(alice, direct).getMessages(0).getService().getMessageSeq()).isEqualTo(1);
    }
}
