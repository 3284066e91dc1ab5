package dev.tern.gateway;

import dev.tern.core.limits.Limits;
import dev.tern.core.message.Catchup;
import dev.tern.core.message.MessageEdits;
import dev.tern.core.message.Messaging;
import dev.tern.core.message.Pins;
import dev.tern.core.view.Sent;
import dev.tern.gateway.wire.Inputs;
import dev.tern.gateway.wire.Results;
import dev.tern.protocol.v1.ClientFrame.BodyCase;

import java.util.concurrent.CompletableFuture;

import static dev.tern.gateway.Handler.committed;
import static dev.tern.gateway.Handler.later;
import static dev.tern.gateway.Handler.now;

/** Messages: sends (with their rate limits and ack latency), catching up, edits, reactions, pins. */
final class MessageHandlers {
    private final Messaging messaging;
    private final Catchup catchup;
    private final MessageEdits edits;
    private final Pins pins;
    private final Limits limits;
    private final GatewayMetrics metrics;

    MessageHandlers(Messaging messaging, Catchup catchup, MessageEdits edits, Pins pins, Limits limits,
                    GatewayMetrics metrics) {
        this.messaging = messaging;
        this.catchup = catchup;
        this.edits = edits;
        this.pins = pins;
        this.limits = limits;
        this.metrics = metrics;
    }

    void register(RequestTable table) {
        table.on(BodyCase.SEND, this::send)
                .on(BodyCase.SYNC, c -> now(catchup.sync(c.principal(), c.frame().getSync().getAfterPts(),
                        c.frame().getSync().getLimit()), (f, v) -> f.setSyncResult(Results.sync(v))))
                .on(BodyCase.HISTORY, c -> {
                    var h = c.frame().getHistory();
                    return now(catchup.history(c.principal(), h.getConversationId(), h.getBeforeSeq(), h.getLimit()),
                            (f, v) -> f.setHistoryResult(Results.history(v)));
                })
                .on(BodyCase.GET_CHANGES, c -> {
                    var g = c.frame().getGetChanges();
                    return now(catchup.changes(c.principal(), g.getConversationId(), g.getAfterChange(), g.getLimit()),
                            (f, v) -> f.setChangesResult(Results.changes(v)));
                })
                .on(BodyCase.EDIT_MESSAGE, c -> committed(edits.edit(c.principal(), Inputs.edit(c.frame().getEditMessage()))))
                .on(BodyCase.RECALL_MESSAGE, c -> committed(edits.recall(c.principal(),
                        c.frame().getRecallMessage().getConversationId(), c.frame().getRecallMessage().getSeq())))
                .on(BodyCase.REACT, c -> {
                    var r = c.frame().getReact();
                    return committed(edits.react(c.principal(), r.getConversationId(), r.getSeq(), r.getEmoji(),
                            r.getRemove()));
                })
                .on(BodyCase.DELETE_FOR_ME, c -> committed(edits.deleteForMe(c.principal(),
                        c.frame().getDeleteForMe().getConversationId(), c.frame().getDeleteForMe().getSeqsList())))
                .on(BodyCase.GET_REACTIONS, c -> now(reactions(c),
                        (f, v) -> f.setReactionsResult(Results.reactions(v))))
                .on(BodyCase.PIN_MESSAGE, c -> {
                    var p = c.frame().getPinMessage();
                    return committed(pins.pin(c.principal(), p.getConversationId(), p.getSeq(), p.getUnpin()));
                });
    }

    private dev.tern.core.view.ReactorsPage reactions(Handler.Call c) {
        var g = c.frame().getGetReactions();
        return edits.reactions(c.principal(), g.getConversationId(), g.getSeq(), g.getEmoji(), g.getAfterUserId(),
                g.getLimit());
    }

    /** A send from the mailbox: charged to the rate limits unless the event loop did, ordered, acked once durable. */
    private CompletableFuture<Handler.Reply> send(Handler.Call c) {
        if (!c.limitsCharged()) {
            limits.send(c.principal());
        }
        return ordered(c, messaging.send(c.principal(), Inputs.outgoing(c.frame().getSend())));
    }

    /**
     * The event-loop fast path: orders a send whose conversation is warm without a thread hop. Null
     * when it must take the mailbox path; the send was then already charged to the rate limits.
     */
    CompletableFuture<Handler.Reply> sendIfWarm(Handler.Call c) {
        limits.send(c.principal());
        CompletableFuture<Sent> ack = messaging.sendIfWarm(c.principal(), Inputs.outgoing(c.frame().getSend()));
        return ack == null ? null : ordered(c, ack);
    }

    /**
     * A send the core has ordered: the connection's send barrier learns it was accepted, and its ack
     * (with its latency counted) is the reply once it is durable.
     */
    private CompletableFuture<Handler.Reply> ordered(Handler.Call c, CompletableFuture<Sent> ack) {
        c.conn().sendOrder().accepted(c.frame().getSend());
        return later(ack.whenComplete((a, e) -> {
            if (e == null) {
                metrics.sendAcked(c.receivedNanos());
            }
        }), (f, v) -> f.setSendAck(Results.sendAck(v)));
    }
}
