package dev.tern.gateway.wire;

import dev.tern.core.store.PrivacyRecord;
import dev.tern.core.view.ChangesPage;
import dev.tern.core.view.ChannelView;
import dev.tern.core.view.ConversationView;
import dev.tern.core.view.DialogsPage;
import dev.tern.core.view.HistoryPage;
import dev.tern.core.view.InviteLink;
import dev.tern.core.view.MemberView;
import dev.tern.core.view.MembersPage;
import dev.tern.core.view.News;
import dev.tern.core.view.PresenceView;
import dev.tern.core.view.PrivacyView;
import dev.tern.core.view.Reactor;
import dev.tern.core.view.ReactorsPage;
import dev.tern.core.view.SearchPage;
import dev.tern.core.view.Sent;
import dev.tern.core.view.SessionView;
import dev.tern.core.view.SyncPage;
import dev.tern.core.view.Update;
import dev.tern.core.view.UserRef;
import dev.tern.core.view.UsersPage;
import dev.tern.protocol.v1.BlockedResult;
import dev.tern.protocol.v1.ChangesResult;
import dev.tern.protocol.v1.ChannelRef;
import dev.tern.protocol.v1.ChannelsResult;
import dev.tern.protocol.v1.ContactsResult;
import dev.tern.protocol.v1.ConversationInfo;
import dev.tern.protocol.v1.ConversationNews;
import dev.tern.protocol.v1.DialogsResult;
import dev.tern.protocol.v1.HistoryResult;
import dev.tern.protocol.v1.Invite;
import dev.tern.protocol.v1.Member;
import dev.tern.protocol.v1.MembersResult;
import dev.tern.protocol.v1.PresenceResult;
import dev.tern.protocol.v1.Privacy;
import dev.tern.protocol.v1.ReactionsResult;
import dev.tern.protocol.v1.Registered;
import dev.tern.protocol.v1.SearchResult;
import dev.tern.protocol.v1.SendAck;
import dev.tern.protocol.v1.Session;
import dev.tern.protocol.v1.SyncResult;
import dev.tern.protocol.v1.UsersResult;
import dev.tern.protocol.v1.Visibility;

import java.util.List;

/**
 * The core's results as response bodies, one method per result; pushes and the values they share
 * with results (messages, dialogs, markers) are in {@link Pushes} and {@link Messages}.
 */
public final class Results {
    private Results() {}

    public static SendAck sendAck(Sent s) {
        return SendAck.newBuilder().setClientMsgId(s.clientMsgId()).setConversationId(s.conversationId())
                .setSeq(s.seq()).setPts(s.pts()).setPrevPts(s.prevPts()).setTsMs(s.tsMs())
                .setDuplicate(s.duplicate()).build();
    }

    public static Session session(SessionView s) {
        return Session.newBuilder().setUserId(s.userId()).setUsername(s.username()).setDeviceId(s.deviceId())
                .setTicket(s.ticket()).setExpiresAtMs(s.expiresAtMs()).setPts(s.pts()).build();
    }

    public static Registered registered(UserRef u) {
        return Registered.newBuilder().setUserId(u.userId()).setUsername(u.username()).build();
    }

    public static SyncResult sync(SyncPage p) {
        SyncResult.Builder b = SyncResult.newBuilder().setMore(p.more()).setPts(p.pts());
        for (Update u : p.updates()) {
            b.addUpdates(Pushes.update(u));
        }
        for (News n : p.news()) {
            b.addNews(ConversationNews.newBuilder().setConversationId(n.conversationId()).setLastSeq(n.lastSeq())
                    .setReadUpToSeq(n.readUpToSeq()).setUnreadCount(n.unreadCount())
                    .setUnreadMentions(n.unreadMentions()).setLastChange(n.lastChange()));
        }
        return b.build();
    }

    public static ChangesResult changes(ChangesPage p) {
        ChangesResult.Builder b = ChangesResult.newBuilder().setMore(p.more()).setLastChange(p.lastChange());
        for (Update u : p.updates()) {
            b.addUpdates(Pushes.update(u));
        }
        return b.build();
    }

    public static HistoryResult history(HistoryPage p) {
        return HistoryResult.newBuilder().addAllMessages(Messages.of(p.messages())).setMore(p.more()).build();
    }

    public static SearchResult search(SearchPage p) {
        return SearchResult.newBuilder().addAllMessages(Messages.of(p.messages())).setMore(p.more())
                .setNextCursor(p.nextCursor()).build();
    }

    public static ReactionsResult reactions(ReactorsPage p) {
        ReactionsResult.Builder b = ReactionsResult.newBuilder().setMore(p.more());
        for (Reactor r : p.reactors()) {
            b.addReactors(dev.tern.protocol.v1.Reactor.newBuilder().setUserId(r.userId())
                    .setUsername(r.username()).addAllEmoji(r.emoji()));
        }
        return b.build();
    }

    public static DialogsResult dialogs(DialogsPage p) {
        DialogsResult.Builder b = DialogsResult.newBuilder().setMore(p.more());
        p.dialogs().forEach(d -> b.addDialogs(Pushes.dialog(d)));
        return b.build();
    }

    public static MembersResult members(MembersPage p) {
        MembersResult.Builder b = MembersResult.newBuilder().setMore(p.more());
        p.members().forEach(m -> b.addMembers(member(m)));
        return b.build();
    }

    public static ConversationInfo conversation(ConversationView c) {
        ConversationInfo.Builder b = ConversationInfo.newBuilder().setConversationId(c.conversationId())
                .setKind(Messages.kind(c.kind())).setBroadcast(c.broadcast()).setMemberCount(c.memberCount())
                .setPublicName(c.publicName()).setTitle(c.title()).setCreatedAtMs(c.createdAtMs())
                .addAllPinnedSeqs(c.pinnedSeqs()).setDescription(c.description()).setAdminsOnly(c.adminsOnly())
                .setSlowModeSeconds(c.slowModeSeconds()).setLastSeq(c.lastSeq());
        c.members().forEach(m -> b.addMembers(member(m)));
        return b.build();
    }

    private static Member member(MemberView m) {
        return Member.newBuilder().setUserId(m.userId()).setUsername(m.username()).setRole(Messages.role(m.role()))
                .setJoinedSeq(m.joinedSeq()).build();
    }

    public static ChannelsResult channels(List<ChannelView> found) {
        ChannelsResult.Builder b = ChannelsResult.newBuilder();
        for (ChannelView c : found) {
            b.addChannels(ChannelRef.newBuilder().setConversationId(c.conversationId()).setPublicName(c.publicName())
                    .setTitle(c.title()).setDescription(c.description()).setMemberCount(c.memberCount()));
        }
        return b.build();
    }

    public static Invite invite(InviteLink i) {
        return Invite.newBuilder().setConversationId(i.conversationId()).setToken(i.token()).build();
    }

    public static UsersResult users(UsersPage p) {
        return UsersResult.newBuilder().addAllUsers(userRefs(p.users())).setMore(p.more()).build();
    }

    public static ContactsResult contacts(List<UserRef> users) {
        return ContactsResult.newBuilder().addAllUsers(userRefs(users)).build();
    }

    public static BlockedResult blocked(List<UserRef> users) {
        return BlockedResult.newBuilder().addAllUsers(userRefs(users)).build();
    }

    private static List<dev.tern.protocol.v1.UserRef> userRefs(List<UserRef> users) {
        return users.stream().map(u -> dev.tern.protocol.v1.UserRef.newBuilder().setUserId(u.userId())
                .setUsername(u.username()).build()).toList();
    }

    public static PresenceResult presences(List<PresenceView> found) {
        PresenceResult.Builder b = PresenceResult.newBuilder();
        found.forEach(p -> b.addPresences(Pushes.presence(p)));
        return b.build();
    }

    public static Privacy privacy(PrivacyView p) {
        return Privacy.newBuilder().setLastSeen(visibility(p.lastSeen())).setReadReceipts(visibility(p.readReceipts()))
                .build();
    }

    private static Visibility visibility(PrivacyRecord.Visibility v) {
        return switch (v) {
            case EVERYONE -> Visibility.EVERYONE;
            case CONTACTS -> Visibility.CONTACTS;
            case NOBODY -> Visibility.NOBODY;
        };
    }

    /** A visibility a request asks for; null for unspecified (unchanged). */
    public static PrivacyRecord.Visibility visibility(Visibility v) {
        return switch (v) {
            case EVERYONE -> PrivacyRecord.Visibility.EVERYONE;
            case CONTACTS -> PrivacyRecord.Visibility.CONTACTS;
            case NOBODY -> PrivacyRecord.Visibility.NOBODY;
            default -> null;
        };
    }
}
