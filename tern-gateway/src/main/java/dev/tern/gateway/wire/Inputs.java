package dev.tern.gateway.wire;

import dev.tern.core.group.GroupChange;
import dev.tern.core.group.NewChannel;
import dev.tern.core.group.NewGroup;
import dev.tern.core.inbox.DialogChange;
import dev.tern.core.message.Edit;
import dev.tern.core.message.Outgoing;
import dev.tern.core.search.MessageQuery;
import dev.tern.core.store.MemberRole;
import dev.tern.protocol.v1.CreateChannel;
import dev.tern.protocol.v1.CreateGroup;
import dev.tern.protocol.v1.EditMessage;
import dev.tern.protocol.v1.Role;
import dev.tern.protocol.v1.SearchMessages;
import dev.tern.protocol.v1.Send;
import dev.tern.protocol.v1.UpdateDialog;
import dev.tern.protocol.v1.UpdateGroup;

/**
 * Requests as the core's arguments: the other direction of the line, also in this one package.
 * Presence on the wire (a oneof case, an {@code optional} field) becomes a non-null value; absence
 * null. Nothing is validated here: the core checks what it is given and refuses with its codes.
 */
public final class Inputs {
    private Inputs() {}

    public static Outgoing outgoing(Send s) {
        boolean toPeer = s.getTargetCase() == Send.TargetCase.PEER;
        return new Outgoing(toPeer ? 0 : s.getConversationId(), toPeer ? s.getPeer() : null, s.getClientMsgId(),
                s.getContentType(), s.getContentCase() == Send.ContentCase.TEXT ? s.getText() : null,
                s.getContentCase() == Send.ContentCase.DATA ? s.getData().toByteArray() : null, s.getRetry(),
                s.getReplyToSeq(),
                s.hasForward() ? new Outgoing.Ref(s.getForward().getConversationId(), s.getForward().getSeq()) : null,
                s.getMediaId());
    }

    public static Edit edit(EditMessage e) {
        return new Edit(e.getConversationId(), e.getSeq(), e.getContentType(),
                e.getContentCase() == EditMessage.ContentCase.TEXT ? e.getText() : null,
                e.getContentCase() == EditMessage.ContentCase.DATA ? e.getData().toByteArray() : null);
    }

    public static NewGroup newGroup(CreateGroup g) {
        return new NewGroup(g.getTitle(), g.getMembersList(), g.getClientId());
    }

    public static NewChannel newChannel(CreateChannel c) {
        return new NewChannel(c.getTitle(), c.getDescription(), c.getPublicName(), c.getClientId());
    }

    public static GroupChange groupChange(UpdateGroup u) {
        // uint32 on the wire: a value past 2^31 arrives negative and is refused as out of range.
        return new GroupChange(u.getConversationId(), u.hasTitle() ? u.getTitle() : null,
                u.hasDescription() ? u.getDescription() : null, u.hasAdminsOnly() ? u.getAdminsOnly() : null,
                u.hasSlowModeSeconds() ? u.getSlowModeSeconds() : null);
    }

    public static DialogChange dialogChange(UpdateDialog u) {
        return new DialogChange(u.getConversationId(), u.hasMuteUntilMs() ? u.getMuteUntilMs() : null,
                u.hasArchived() ? u.getArchived() : null, u.hasPinned() ? u.getPinned() : null,
                u.hasDraft() ? u.getDraft() : null);
    }

    public static MessageQuery messageQuery(SearchMessages q) {
        return new MessageQuery(q.getQuery(), q.getConversationId(),
                q.getSenderCase() == SearchMessages.SenderCase.SENDER_ID ? q.getSenderId() : 0,
                q.getSenderCase() == SearchMessages.SenderCase.SENDER_USERNAME ? q.getSenderUsername() : null,
                q.getFromMs(), q.getToMs(), q.getCursor(), q.getLimit());
    }

    /**
     * The role a request names; null for unspecified or a number this version does not know, which
     * the core refuses (after it has looked the user up: USER_NOT_FOUND is checked first).
     */
    public static MemberRole role(Role r) {
        return switch (r) {
            case MEMBER -> MemberRole.MEMBER;
            case ADMIN -> MemberRole.ADMIN;
            case OWNER -> MemberRole.OWNER;
            case ROLE_UNSPECIFIED, UNRECOGNIZED -> null;
        };
    }

    /** The role of an added member: unspecified means MEMBER (the documented default). */
    public static MemberRole addedRole(Role r) {
        return r == Role.ROLE_UNSPECIFIED ? MemberRole.MEMBER : role(r);
    }
}
