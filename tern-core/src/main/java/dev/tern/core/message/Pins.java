package dev.tern.core.message;

import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.core.Principal;
import dev.tern.core.ledger.ConversationState;
import dev.tern.core.ledger.Conversations;
import dev.tern.core.ledger.Ledger;
import dev.tern.core.ledger.Prepared;
import dev.tern.core.ledger.Timeline;
import dev.tern.core.store.BodyKind;
import dev.tern.core.store.ConversationKind;
import dev.tern.core.store.ConversationRecord;
import dev.tern.core.store.MemberRole;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.StoreReads;
import dev.tern.core.view.Committed;
import dev.tern.core.view.ServiceEvent;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Pinned messages: a list of seqs in the conversation's header, changed under the sequencing lock
 * together with a service message, so every member learns of a pin in order with the messages.
 */
public final class Pins {
    static final int MAX_PINNED = 50;

    private final StoreReads store;
    private final Ledger ledger;
    private final Conversations conversations;
    private final Timeline timeline;
    private final InstantSource clock;

    public Pins(StoreReads store, Ledger ledger, Conversations conversations, Timeline timeline,
                InstantSource clock) {
        this.store = store;
        this.ledger = ledger;
        this.conversations = conversations;
        this.timeline = timeline;
        this.clock = clock;
    }

    /**
     * Pins (or with {@code unpin} unpins) message {@code seq}: any member of a direct chat, a group's
     * owner and admins. Pinning a pinned message or unpinning one that is not pinned answers without
     * a pts and changes nothing. The future completes once the change is durable.
     */
    public CompletableFuture<Committed> pin(Principal caller, long conversationId, long seq, boolean unpin) {
        Principal.require(caller);
        Conversations.Membership ms = conversations.requireMember(caller, conversationId);
        if (!unpin) {
            MessageRecord m = MessageEdits.readable(store, ms, seq);
            if (m.bodyKind() == BodyKind.SERVICE || m.extras().recalled()) {
                throw new Failure(ErrorCode.NOT_EDITABLE, "service and deleted messages cannot be pinned");
            }
        }
        timeline.preload(ms.state(), caller.userId());
        long now = clock.millis();
        Committed unchanged = new Committed(conversationId, seq, 0, 0);
        return ledger.submit(Ledger.Scope.conversation(conversationId), () -> {
            Conversations.Membership current = conversations.requireMember(caller, conversationId);
            ConversationState state = current.state();
            if (state.header().kind() != ConversationKind.DIRECT && !current.member().role().atLeast(MemberRole.ADMIN)) {
                throw new Failure(ErrorCode.FORBIDDEN, "only admins pin messages in a group");
            }
            List<Long> pinned = new ArrayList<>(state.header().pinned());
            if (unpin ? !pinned.remove(seq) : pinned.contains(seq)) {
                return Prepared.of(List.of(), unchanged);
            }
            if (!unpin) {
                if (pinned.size() >= MAX_PINNED) {
                    throw new Failure(ErrorCode.INVALID_ARGUMENT, "at most " + MAX_PINNED + " pinned messages");
                }
                pinned.addFirst(seq);
            }
            ConversationRecord header = state.header().withPinned(pinned);
            List<Mutation> batch = new ArrayList<>();
            batch.add(header);
            conversations.put(state.withHeader(header));
            ServiceEvent event = ServiceEvent.of(unpin ? ServiceEvent.Type.MESSAGE_UNPINNED : ServiceEvent.Type.MESSAGE_PINNED).withMessageSeq(seq);
            return timeline.service(caller, header, event, state.members().keySet(), batch, now);
        });
    }
}
