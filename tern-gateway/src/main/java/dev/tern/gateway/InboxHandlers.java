package dev.tern.gateway;

import dev.tern.core.inbox.Dialogs;
import dev.tern.core.inbox.Receipts;
import dev.tern.gateway.wire.Inputs;
import dev.tern.gateway.wire.Results;
import dev.tern.protocol.v1.ClientFrame.BodyCase;

import static dev.tern.gateway.Handler.committed;
import static dev.tern.gateway.Handler.now;

/** The inbox: dialogs and read and delivered markers. */
final class InboxHandlers {
    private final Dialogs dialogs;
    private final Receipts receipts;

    InboxHandlers(Dialogs dialogs, Receipts receipts) {
        this.dialogs = dialogs;
        this.receipts = receipts;
    }

    void register(RequestTable table) {
        table.on(BodyCase.MARK_READ, c -> committed(receipts.markRead(c.principal(),
                        c.frame().getMarkRead().getConversationId(), c.frame().getMarkRead().getUpToSeq())))
                .on(BodyCase.MARK_DELIVERED, c -> committed(receipts.markDelivered(c.principal(),
                        c.frame().getMarkDelivered().getConversationId(), c.frame().getMarkDelivered().getUpToSeq())))
                .on(BodyCase.GET_DIALOGS, c -> now(dialogs(c),
                        (f, v) -> f.setDialogsResult(Results.dialogs(v))))
                .on(BodyCase.UPDATE_DIALOG, c -> committed(dialogs.update(c.principal(),
                        Inputs.dialogChange(c.frame().getUpdateDialog()))));
    }

    private dev.tern.core.view.DialogsPage dialogs(Handler.Call c) {
        var g = c.frame().getGetDialogs();
        return dialogs.list(c.principal(), g.getArchived(), g.getLimit(), g.getBeforeActivityMs(),
                g.getBeforeConversationId());
    }
}
