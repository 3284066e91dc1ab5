package dev.tern.gateway;

import dev.tern.core.inbox.Dialogs;
import dev.tern.core.inbox.Receipts;
import dev.tern.protocol.v1.ClientFrame.BodyCase;
import dev.tern.protocol.v1.ServerFrame;

import static dev.tern.gateway.Handler.later;
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
        table.on(BodyCase.MARK_READ, c -> later(receipts.markRead(c.principal(),
                        c.frame().getMarkRead().getConversationId(), c.frame().getMarkRead().getUpToSeq()),
                        ServerFrame.Builder::setOk))
                .on(BodyCase.MARK_DELIVERED, c -> later(receipts.markDelivered(c.principal(),
                        c.frame().getMarkDelivered().getConversationId(), c.frame().getMarkDelivered().getUpToSeq()),
                        ServerFrame.Builder::setOk))
                .on(BodyCase.GET_DIALOGS, c -> now(dialogs.list(c.principal(), c.frame().getGetDialogs()),
                        ServerFrame.Builder::setDialogsResult))
                .on(BodyCase.UPDATE_DIALOG, c -> later(dialogs.update(c.principal(), c.frame().getUpdateDialog()),
                        ServerFrame.Builder::setOk));
    }
}
