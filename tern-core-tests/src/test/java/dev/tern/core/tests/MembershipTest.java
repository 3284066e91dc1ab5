package dev.tern.core.tests;

import dev.tern.core.ErrorCode;
import dev.tern.core.Principal;
import dev.tern.core.group.GroupChange;
import dev.tern.core.inbox.DialogChange;
import dev.tern.core.message.Edit;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.tern.core.tests.Refusals.codeOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every operation on a conversation checks that the caller is a member: an outsider gets NOT_MEMBER,
 * the same answer as for a conversation that does not exist, so ids cannot be probed.
 */
class MembershipTest extends CoreTestBase {
    private final Principal eve = fx.user("eve");
    private final long g = fx.group(alice, bob);
    private final long seq = fx.send(alice, g, "secret").seq();

    /** An operation by {@code eve} on the group she is not in. */
    interface Outsider {
        Object run(MembershipTest t) throws Exception;
    }

    static Stream<Named<Outsider>> operations() {
        return Stream.of(
                op("send", t -> t.fx.messaging.send(t.eve, CoreFixture.text(t.g, "hi").build())),
                op("history", t -> t.fx.catchup.history(t.eve, t.g, 0, 10)),
                op("changes", t -> t.fx.catchup.changes(t.eve, t.g, 0, 10)),
                op("edit", t -> t.fx.edits.edit(t.eve, new Edit(t.g, t.seq, "", "x", null))),
                op("recall", t -> t.fx.edits.recall(t.eve, t.g, t.seq)),
                op("react", t -> t.fx.edits.react(t.eve, t.g, t.seq, "👍", false)),
                op("reactions", t -> t.fx.edits.reactions(t.eve, t.g, t.seq, "", 0, 0)),
                op("deleteForMe", t -> t.fx.edits.deleteForMe(t.eve, t.g, List.of(t.seq))),
                op("pin", t -> t.fx.pins.pin(t.eve, t.g, t.seq, false)),
                op("markRead", t -> t.fx.receipts.markRead(t.eve, t.g, t.seq)),
                op("markDelivered", t -> t.fx.receipts.markDelivered(t.eve, t.g, t.seq)),
                op("updateDialog", t -> t.fx.dialogs.update(t.eve, new DialogChange(t.g, null, true, null, null))),
                op("info", t -> t.fx.groups.info(t.eve, t.g)),
                op("members", t -> t.fx.groups.members(t.eve, t.g, 0, 10)),
                op("leave", t -> t.fx.groups.leave(t.eve, t.g)),
                op("updateGroup", t -> t.fx.settings.update(t.eve, new GroupChange(t.g, "mine", null, null, null))),
                op("createInvite", t -> t.fx.invites.create(t.eve, t.g)),
                op("replyInto", t -> t.fx.messaging.send(t.eve, CoreFixture.text(t.g, "re").replyTo(t.seq).build())),
                op("forwardOut", t -> t.fx.messaging.send(t.eve, OutgoingBuilder.empty().peer("alice").clientMsgId("f")
                        .forward(t.g, t.seq).build())));
    }

    private static Named<Outsider> op(String name, Outsider o) {
        return Named.of(name, o);
    }

    @ParameterizedTest
    @MethodSource("operations")
    void anOutsiderIsRefusedWithNotMember(Outsider op) {
        long batches = fx.store.batchesWritten();
        assertThat(codeOf(() -> op.run(this))).isEqualTo(ErrorCode.NOT_MEMBER);
        assertThat(fx.store.batchesWritten()).isEqualTo(batches);
    }

    @Test
    void aConversationThatDoesNotExistLooksLikeOneTheCallerIsNotIn() {
        assertThat(codeOf(() -> fx.catchup.history(alice, 987_654, 0, 10))).isEqualTo(ErrorCode.NOT_MEMBER);
        assertThat(codeOf(() -> fx.messaging.send(alice, CoreFixture.text(987_654, "x").build())))
                .isEqualTo(ErrorCode.NOT_MEMBER);
    }

    @Test
    void anOutsidersLogNeverPointsIntoTheConversation() {
        fx.send(bob, g, "more");
        assertThat(fx.catchup.sync(eve, 0, 100).updates()).isEmpty();
        assertThat(fx.fanout.updates(eve.userId())).isEmpty();
    }

    @Test
    void withoutAPrincipalNothingIsAnswered() {
        assertThat(codeOf(() -> fx.catchup.history(null, g, 0, 10))).isEqualTo(ErrorCode.NOT_AUTHENTICATED);
        assertThat(codeOf(() -> fx.messaging.send(null, CoreFixture.text(g, "x").build())))
                .isEqualTo(ErrorCode.NOT_AUTHENTICATED);
    }
}
