package dev.tern.core.tests;

import dev.tern.core.ErrorCode;
import dev.tern.core.Principal;
import dev.tern.core.message.Edit;
import dev.tern.core.store.MemberRole;
import dev.tern.core.store.MessageRecord.Reaction;
import dev.tern.core.store.UpdateKind;
import dev.tern.core.store.UpdateRecord;
import dev.tern.core.view.Change;
import dev.tern.core.view.Committed;
import dev.tern.core.view.MessageView;
import dev.tern.core.view.Reactor;
import dev.tern.core.view.ServiceEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.tern.core.tests.CoreFixture.await;
import static dev.tern.core.tests.Refusals.codeOf;
import static dev.tern.core.tests.Views.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Edits, recalls, reactions, delete-for-me and pins of existing messages. */
class MessageEditsTest extends CoreTestBase {
    private final long g = fx.group(alice, bob);
    private final long seq = fx.send(bob, g, "original").seq();

    private Edit edit(String text) {
        return edit(seq, text);
    }

    private Edit edit(long s, String text) {
        return new Edit(g, s, "", text, null);
    }

    private MessageView message(Principal viewer, long s) {
        return fx.history(viewer, g).messages().stream().filter(m -> m.seq() == s).findFirst().orElseThrow();
    }

    private static boolean recalled(MessageView m) {
        return m.record().extras().recalled();
    }

    private List<Reaction> reactions() {
        return message(alice, seq).record().extras().reactions();
    }

    @Test
    void anEditWithinTheWindowReplacesTheContentForEveryone() {
        fx.clock.advance(CoreFixture.EDIT_WINDOW.minusMinutes(1));
        Committed ok = await(fx.edits.edit(bob, edit("fixed")));
        MessageView m = message(alice, seq);
        assertThat(text(m)).isEqualTo("fixed");
        assertThat(m.record().extras().editedAtMs()).isEqualTo(fx.clock.millis());
        assertThat(m.record().contentType()).isEqualTo("text/plain"); // kept when the edit names none
        UpdateRecord entry = fx.store.updatesAfter(alice.userId(), 0, 100).getLast();
        assertThat(entry.kind()).isEqualTo(UpdateKind.EDIT);
        assertThat(entry.seq()).isEqualTo(seq);
        assertThat(text(Views.change(fx.fanout.updates(alice.userId()).getLast(), Change.Edited.class).message()))
                .isEqualTo("fixed");
        assertThat(ok.pts()).isEqualTo(fx.ledger.lastPts(bob.userId()));
    }

    @Test
    void anEditAfterTheWindowIsRefused() {
        fx.clock.advance(CoreFixture.EDIT_WINDOW.plusSeconds(1));
        assertThat(codeOf(() -> fx.edits.edit(bob, edit("too late")))).isEqualTo(ErrorCode.EDIT_WINDOW_PASSED);
        assertThat(text(message(alice, seq))).isEqualTo("original");
    }

    @Test
    void onlyTheAuthorEditsAndOnlyOrdinaryMessages() {
        assertThat(codeOf(() -> fx.edits.edit(alice, edit("mine now")))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(codeOf(() -> fx.edits.edit(alice, edit(1, "x"))))
                .isEqualTo(ErrorCode.NOT_EDITABLE); // alice's own service message: hers, but not editable
        assertThat(codeOf(() -> fx.edits.edit(bob, edit("x".repeat(CoreFixture.MAX_BODY + 1)))))
                .isEqualTo(ErrorCode.BODY_TOO_LARGE);
        assertThat(codeOf(() -> fx.edits.edit(bob, edit(99, "x"))))
                .isEqualTo(ErrorCode.MESSAGE_NOT_FOUND);
    }

    @Test
    void theAuthorRecallsWithinTheWindowAndARepeatChangesNothing() {
        Committed ok = await(fx.edits.recall(bob, g, seq));
        MessageView m = message(alice, seq);
        assertThat(recalled(m)).isTrue();
        assertThat(text(m)).isEmpty();
        assertThat(m.record().body()).isEmpty();
        assertThat(ok.pts()).isPositive();
        long entries = fx.store.lastPts(alice.userId());
        assertThat(await(fx.edits.recall(bob, g, seq)).pts()).isZero();
        assertThat(fx.store.lastPts(alice.userId())).isEqualTo(entries);
        assertThat(codeOf(() -> fx.edits.edit(bob, edit("back")))).isEqualTo(ErrorCode.NOT_EDITABLE);
    }

    @Test
    void afterTheRecallWindowOnlyAdminsMayRecall() {
        Principal carol = fx.user("carol");
        await(fx.groups.addMember(alice, g, "carol", MemberRole.MEMBER));
        long carols = fx.send(carol, g, "carol's").seq();
        long bobsLater = fx.send(bob, g, "after carol joined").seq();
        assertThat(codeOf(() -> fx.edits.recall(carol, g, bobsLater))).isEqualTo(ErrorCode.FORBIDDEN);
        // A message from before carol joined is not hers to see, let alone delete.
        assertThat(codeOf(() -> fx.edits.recall(carol, g, seq))).isEqualTo(ErrorCode.MESSAGE_NOT_FOUND);
        fx.clock.advance(CoreFixture.EDIT_WINDOW.plus(Duration.ofMinutes(1)));
        assertThat(codeOf(() -> fx.edits.recall(bob, g, seq))).isEqualTo(ErrorCode.RECALL_WINDOW_PASSED);
        await(fx.edits.recall(alice, g, seq)); // the owner moderates at any time
        await(fx.edits.recall(alice, g, carols));
        assertThat(recalled(message(bob, seq))).isTrue();
        assertThat(recalled(message(bob, carols))).isTrue();
        assertThat(codeOf(() -> fx.edits.recall(alice, g, 1))).isEqualTo(ErrorCode.NOT_EDITABLE);
    }

    @Test
    void reactionsAreCountedPerEmojiInOrderOfFirstUse() {
        await(fx.edits.react(alice, g, seq, "👍", false));
        await(fx.edits.react(bob, g, seq, "👍", false));
        await(fx.edits.react(bob, g, seq, "❤", false));
        assertThat(reactions()).extracting(Reaction::emoji, Reaction::count)
                .containsExactly(tuple("👍", 2), tuple("❤", 1));
        await(fx.edits.react(alice, g, seq, "👍", true));
        assertThat(reactions()).extracting(Reaction::emoji, Reaction::count)
                .containsExactly(tuple("👍", 1), tuple("❤", 1));
        await(fx.edits.react(bob, g, seq, "❤", true));
        assertThat(reactions()).extracting(Reaction::emoji).containsExactly("👍");
        List<Reactor> who = fx.edits.reactions(alice, g, seq, "", 0, 0).reactors();
        assertThat(who).extracting(Reactor::username).containsExactly("bob");
    }

    @Test
    void aRepeatedReactionChangesNothingAndEachUserHasAtMostThree() {
        assertThat(await(fx.edits.react(alice, g, seq, "a", false)).pts()).isPositive();
        assertThat(await(fx.edits.react(alice, g, seq, "a", false)).pts()).isZero();
        assertThat(await(fx.edits.react(alice, g, seq, "z", true)).pts()).isZero();
        await(fx.edits.react(alice, g, seq, "b", false));
        await(fx.edits.react(alice, g, seq, "c", false));
        assertThat(codeOf(() -> fx.edits.react(alice, g, seq, "d", false))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(codeOf(() -> fx.edits.react(alice, g, seq, "", false))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(reactions()).extracting(Reaction::count).containsExactly(1, 1, 1);
    }

    @Test
    void deleteForMeHidesMessagesFromTheCallerOnly() {
        long second = fx.send(alice, g, "second").seq();
        Principal bobPhone = fx.login("bob");
        Committed ok = await(fx.edits.deleteForMe(bob, g, List.of(second, seq, seq)));
        assertThat(fx.history(bob, g).messages()).extracting(MessageView::seq).containsExactly(1L);
        assertThat(fx.history(alice, g).messages()).extracting(MessageView::seq).containsExactly(second, seq, 1L);
        // One HIDE entry per distinct message, consecutive in bob's log; the response spans them.
        List<UpdateRecord> hides = fx.store.updatesAfter(bob.userId(), ok.prevPts(), 10);
        assertThat(hides).extracting(UpdateRecord::kind, UpdateRecord::seq)
                .containsExactly(tuple(UpdateKind.HIDE, seq), tuple(UpdateKind.HIDE, second));
        assertThat(ok.pts()).isEqualTo(hides.getLast().pts());
        assertThat(fx.fanout.pushed(bob.userId()).getLast().exceptDeviceId()).isEqualTo(bob.deviceId())
                .isNotEqualTo(bobPhone.deviceId());
        assertThat(codeOf(() -> fx.edits.deleteForMe(bob, g, List.of()))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void pinsAreKeptNewestFirstAndARecallUnpins() {
        long other = fx.send(alice, g, "other").seq();
        await(fx.pins.pin(alice, g, seq, false));
        await(fx.pins.pin(alice, g, other, false));
        assertThat(await(fx.pins.pin(alice, g, other, false)).pts()).isZero();
        assertThat(fx.groups.info(bob, g).pinnedSeqs()).containsExactly(other, seq);
        await(fx.edits.recall(bob, g, seq));
        assertThat(fx.groups.info(bob, g).pinnedSeqs()).containsExactly(other);
        await(fx.pins.pin(alice, g, other, true));
        assertThat(fx.groups.info(bob, g).pinnedSeqs()).isEmpty();
        assertThat(codeOf(() -> fx.pins.pin(alice, g, seq, false))).isEqualTo(ErrorCode.NOT_EDITABLE);
    }

    @Test
    void anyMemberOfADirectChatMayPin() {
        long direct = fx.sendTo(alice, bob, "pin this").conversationId();
        await(fx.pins.pin(bob, direct, 1, false));
        assertThat(fx.groups.info(alice, direct).pinnedSeqs()).containsExactly(1L);
        ServiceEvent pinned = Views.service(fx.history(alice, direct).messages().getFirst());
        assertThat(pinned.type()).isEqualTo(ServiceEvent.Type.MESSAGE_PINNED);
        assertThat(pinned.messageSeq()).isEqualTo(1);
    }
}
