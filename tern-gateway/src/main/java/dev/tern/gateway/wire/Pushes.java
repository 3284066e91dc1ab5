package dev.tern.gateway.wire;

import dev.tern.core.view.Change;
import dev.tern.core.view.Committed;
import dev.tern.core.view.DialogView;
import dev.tern.core.view.Marker;
import dev.tern.core.view.PresenceView;
import dev.tern.core.view.Push;
import dev.tern.core.view.Update;
import dev.tern.protocol.v1.DeliveredMarker;
import dev.tern.protocol.v1.Dialog;
import dev.tern.protocol.v1.MessageRef;
import dev.tern.protocol.v1.Ok;
import dev.tern.protocol.v1.Presence;
import dev.tern.protocol.v1.PresencePush;
import dev.tern.protocol.v1.ReadMarker;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.protocol.v1.TypingPush;
import dev.tern.protocol.v1.UpdatePush;

/** Pushes, updates and the values they carry, as wire values. */
public final class Pushes {
    private Pushes() {}

    // A broadcast post is one push to every online member: its frame is built once.
    private static final LastBuilt<Push, ServerFrame> LAST = new LastBuilt<>(Pushes::build);

    public static ServerFrame frame(Push push) {
        return LAST.of(push);
    }

    private static ServerFrame build(Push push) {
        ServerFrame.Builder f = ServerFrame.newBuilder();
        switch (push) {
            case Push.Updated u -> f.setUpdate(UpdatePush.newBuilder().setUpdate(update(u.update())));
            case Push.Typing t -> f.setTyping(TypingPush.newBuilder().setConversationId(t.conversationId())
                    .setUserId(t.userId()).setUsername(t.username()).setStopped(t.stopped()));
            case Push.PresenceChanged p -> f.setPresence(PresencePush.newBuilder().setPresence(presence(p.presence())));
        }
        return f.build();
    }

    public static dev.tern.protocol.v1.Update update(Update u) {
        dev.tern.protocol.v1.Update.Builder b = dev.tern.protocol.v1.Update.newBuilder()
                .setPts(u.pts()).setPrevPts(u.prevPts()).setMentioned(u.mentioned())
                .setChange(u.changeNo()).setPrevChange(u.prevChangeNo());
        switch (u.change()) {
            case Change.Posted p -> b.setMessage(Messages.of(p.message()));
            case Change.Edited e -> b.setEdited(Messages.of(e.message()));
            case Change.Recalled r -> b.setRecalled(Messages.of(r.message()));
            case Change.Reacted r -> b.setReacted(Messages.of(r.message()));
            case Change.Hidden h -> b.setHidden(MessageRef.newBuilder().setConversationId(h.conversationId())
                    .setSeq(h.seq()));
            case Change.DialogChanged d -> b.setDialog(dialog(d.dialog()));
            case Change.Read r -> b.setRead(read(r.marker()));
            case Change.Delivered d -> b.setDelivered(delivered(d.marker()));
        }
        return b.build();
    }

    public static Ok ok(Committed c) {
        return Ok.newBuilder().setConversationId(c.conversationId()).setSeq(c.seq()).setPts(c.pts())
                .setPrevPts(c.prevPts()).build();
    }

    public static Presence presence(PresenceView p) {
        return Presence.newBuilder().setUserId(p.userId()).setUsername(p.username()).setOnline(p.online())
                .setLastSeenMs(p.lastSeenMs()).build();
    }

    public static ReadMarker read(Marker m) {
        return ReadMarker.newBuilder().setConversationId(m.conversationId()).setUserId(m.userId())
                .setUsername(m.username()).setUpToSeq(m.upToSeq()).build();
    }

    public static DeliveredMarker delivered(Marker m) {
        return DeliveredMarker.newBuilder().setConversationId(m.conversationId()).setUserId(m.userId())
                .setUsername(m.username()).setUpToSeq(m.upToSeq()).build();
    }

    public static Dialog dialog(DialogView d) {
        if (d.left()) {
            return Dialog.newBuilder().setConversationId(d.conversationId()).setLeft(true).build();
        }
        Dialog.Builder b = Dialog.newBuilder().setConversationId(d.conversationId()).setKind(Messages.kind(d.kind()))
                .setTitle(d.title()).setPeerId(d.peerId()).setLastActivityMs(d.lastActivityMs())
                .setReadUpToSeq(d.readUpToSeq()).setUnreadCount(d.unreadCount()).setUnreadMentions(d.unreadMentions())
                .setMuteUntilMs(d.muteUntilMs()).setArchived(d.archived()).setPinned(d.pinned())
                .setDraft(d.draft()).setDraftAtMs(d.draftAtMs()).setBroadcast(d.broadcast())
                .setLastChange(d.lastChange()).setPeerReadSeq(d.peerReadSeq())
                .setPeerDeliveredSeq(d.peerDeliveredSeq());
        if (d.top() != null) {
            b.setTopMessage(Messages.of(d.top().record(), d.top().kind()));
        }
        return b.build();
    }
}
