package dev.tern.client;

import dev.tern.protocol.v1.AddMember;
import dev.tern.protocol.v1.Block;
import dev.tern.protocol.v1.BlockedResult;
import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.Contact;
import dev.tern.protocol.v1.ContactsResult;
import dev.tern.protocol.v1.ConversationInfo;
import dev.tern.protocol.v1.CreateGroup;
import dev.tern.protocol.v1.CreateInvite;
import dev.tern.protocol.v1.DeleteForMe;
import dev.tern.protocol.v1.EditMessage;
import dev.tern.protocol.v1.GetBlocked;
import dev.tern.protocol.v1.ChangesResult;
import dev.tern.protocol.v1.ChannelsResult;
import dev.tern.protocol.v1.GetChanges;
import dev.tern.protocol.v1.CreateChannel;
import dev.tern.protocol.v1.DialogsResult;
import dev.tern.protocol.v1.GetDialogs;
import dev.tern.protocol.v1.JoinChannel;
import dev.tern.protocol.v1.SearchChannels;
import dev.tern.protocol.v1.UpdateDialog;
import dev.tern.protocol.v1.GetContacts;
import dev.tern.protocol.v1.GetConversation;
import dev.tern.protocol.v1.GetMembers;
import dev.tern.protocol.v1.GetReactions;
import dev.tern.protocol.v1.History;
import dev.tern.protocol.v1.HistoryResult;
import dev.tern.protocol.v1.Invite;
import dev.tern.protocol.v1.JoinByInvite;
import dev.tern.protocol.v1.Leave;
import dev.tern.protocol.v1.Login;
import dev.tern.protocol.v1.Logout;
import dev.tern.protocol.v1.MarkRead;
import dev.tern.protocol.v1.MembersResult;
import dev.tern.protocol.v1.MessageRef;
import dev.tern.protocol.v1.Ok;
import dev.tern.protocol.v1.PinMessage;
import dev.tern.protocol.v1.PresenceQuery;
import dev.tern.protocol.v1.PresenceResult;
import dev.tern.protocol.v1.Privacy;
import dev.tern.protocol.v1.React;
import dev.tern.protocol.v1.ReactionsResult;
import dev.tern.protocol.v1.RecallMessage;
import dev.tern.protocol.v1.Register;
import dev.tern.protocol.v1.Registered;
import dev.tern.protocol.v1.RemoveMember;
import dev.tern.protocol.v1.Resume;
import dev.tern.protocol.v1.RevokeInvite;
import dev.tern.protocol.v1.Role;
import dev.tern.protocol.v1.SearchMessages;
import dev.tern.protocol.v1.SearchResult;
import dev.tern.protocol.v1.SearchUsers;
import dev.tern.protocol.v1.Send;
import dev.tern.protocol.v1.SendAck;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.protocol.v1.Session;
import dev.tern.protocol.v1.SetPrivacy;
import dev.tern.protocol.v1.SetRole;
import dev.tern.protocol.v1.Sync;
import dev.tern.protocol.v1.SyncResult;
import dev.tern.protocol.v1.Typing;
import dev.tern.protocol.v1.Unban;
import dev.tern.protocol.v1.UpdateGroup;
import dev.tern.protocol.v1.UsersResult;
import dev.tern.protocol.v1.Visibility;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * A Tern session from one device. Thread-safe; every method returns at once with a future.
 * See the package documentation for the delivery guarantees.
 *
 * <p>This class is the API: a wrapper per request, the session calls (login, resume, password
 * change, logout), and the device's own log entries (send acks, Oks with a pts) handed to the
 * cursor. The connection itself (hello, heartbeat, reconnect and resume) is {@code Connection}'s.
 */
public final class TernClient implements AutoCloseable {
    private final ClientOptions options;
    private final HttpClient http;
    private final Cursor cursor;
    private final Outbox outbox;
    private final Connection connection;

    private TernClient(ClientOptions options, TernListener listener) {
        this.options = options;
        this.http = options.sslContext() == null ? HttpClient.newHttpClient()
                : HttpClient.newBuilder().sslContext(options.sslContext()).build();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tern-client-timer");
            t.setDaemon(true);
            return t;
        });
        // The receipts see exactly the updates the application is handed. Null when turned off.
        DeliveryReceipts receipts = options.deliveryReceipts()
                ? new DeliveryReceipts(this::myUserId, this::markDelivered, timer) : null;
        this.cursor = new Cursor(listener, this::syncPage, receipts == null ? u -> { } : receipts::handed);
        this.outbox = new Outbox(this, timer);
        this.connection = new Connection(options, listener, http, timer, cursor, outbox, receipts);
    }

    /** Opens the connection and exchanges hello; completes when the server welcomed the client. */
    public static CompletableFuture<TernClient> connect(ClientOptions options, TernListener listener) {
        TernClient c = new TernClient(options, listener == null ? new TernListener() { } : listener);
        return c.connection.start().thenApply(w -> c);
    }

    // ------------------------------------------------------------------ accounts

    public CompletableFuture<Registered> register(String username, String password) {
        return call(ClientFrame.newBuilder().setRegister(Register.newBuilder().setUsername(username)
                .setPassword(password)), ServerFrame::getRegistered);
    }

    /** Logs in; the cursor starts at the account's newest pts (the past is read with history). */
    public CompletableFuture<Session> login(String username, String password, String deviceName) {
        return call(ClientFrame.newBuilder().setLogin(Login.newBuilder().setUsername(username).setPassword(password)
                .setDeviceName(deviceName == null ? "" : deviceName)), ServerFrame::getSession)
                .thenApply(s -> connection.signedIn(s.getTicket(), s.getPts(), s));
    }

    /**
     * Changes the account's password. The server revokes every other ticket of the account (their
     * connections get SESSION_REVOKED) and answers with a new ticket for this device, which this
     * client keeps for its reconnects; the cursor is unchanged. Store the new ticket if you persist one.
     */
    public CompletableFuture<Session> changePassword(String oldPassword, String newPassword) {
        return call(ClientFrame.newBuilder().setChangePassword(dev.tern.protocol.v1.ChangePassword.newBuilder()
                .setOldPassword(oldPassword).setNewPassword(newPassword)), ServerFrame::getSession)
                .thenApply(connection::ticketChanged);
    }

    /**
     * Resumes a ticket from an earlier login. {@code fromPts} is the cursor the application kept
     * (updates after it are synced), or -1 to start at the newest pts.
     */
    public CompletableFuture<Session> resume(String ticket, long fromPts) {
        return call(ClientFrame.newBuilder().setResume(Resume.newBuilder().setTicket(ticket)), ServerFrame::getSession)
                .thenApply(s -> connection.signedIn(ticket, fromPts < 0 ? s.getPts() : fromPts, s));
    }

    public CompletableFuture<Ok> logout() {
        return call(ClientFrame.newBuilder().setLogout(Logout.getDefaultInstance()), ServerFrame::getOk)
                .thenApply(ok -> {
                    connection.loggedOut();
                    return ok;
                });
    }

    // ------------------------------------------------------------------ messages

    /** Sends text to a conversation; retried under one client message id until acknowledged. */
    public CompletableFuture<SendAck> sendText(long conversationId, String text) {
        return send(Send.newBuilder().setConversationId(conversationId).setContentType("text/plain").setText(text));
    }

    /** Sends text to the direct chat with {@code peer} (created by the first message). */
    public CompletableFuture<SendAck> sendTextTo(String peer, String text) {
        return send(Send.newBuilder().setPeer(peer).setContentType("text/plain").setText(text));
    }

    /** Sends a message; a missing client_msg_id is generated. Retries keep the id. */
    public CompletableFuture<SendAck> send(Send.Builder message) {
        if (message.getClientMsgId().isEmpty()) {
            message.setClientMsgId(UUID.randomUUID().toString());
        }
        return outbox.add(message.build());
    }

    /** Replies with text to message {@code replyToSeq} of the conversation. */
    public CompletableFuture<SendAck> replyText(long conversationId, long replyToSeq, String text) {
        return send(Send.newBuilder().setConversationId(conversationId).setReplyToSeq(replyToSeq)
                .setContentType("text/plain").setText(text));
    }

    /** Forwards message {@code seq} of {@code fromConversationId} to {@code toConversationId}. */
    public CompletableFuture<SendAck> forward(long toConversationId, long fromConversationId, long seq) {
        return send(Send.newBuilder().setConversationId(toConversationId)
                .setForward(MessageRef.newBuilder().setConversationId(fromConversationId).setSeq(seq)));
    }

    /** Replaces the text of one's own message; members see the edit as an update. */
    public CompletableFuture<Ok> editText(long conversationId, long seq, String text) {
        return mutation(ClientFrame.newBuilder().setEditMessage(EditMessage.newBuilder()
                .setConversationId(conversationId).setSeq(seq).setContentType("text/plain").setText(text)));
    }

    /** Deletes a message for everyone (one's own within the recall window; any, as a group admin). */
    public CompletableFuture<Ok> recall(long conversationId, long seq) {
        return mutation(ClientFrame.newBuilder().setRecallMessage(RecallMessage.newBuilder()
                .setConversationId(conversationId).setSeq(seq)));
    }

    /** Adds the caller's reaction {@code emoji} to a message (up to 3 different ones per message). */
    public CompletableFuture<Ok> react(long conversationId, long seq, String emoji) {
        return mutation(ClientFrame.newBuilder().setReact(React.newBuilder().setConversationId(conversationId)
                .setSeq(seq).setEmoji(emoji)));
    }

    /** Takes back the caller's reaction {@code emoji} to a message. */
    public CompletableFuture<Ok> unreact(long conversationId, long seq, String emoji) {
        return mutation(ClientFrame.newBuilder().setReact(React.newBuilder().setConversationId(conversationId)
                .setSeq(seq).setEmoji(emoji).setRemove(true)));
    }

    /** Pins a message (any member of a direct chat; a group's owner and admins). */
    public CompletableFuture<Ok> pin(long conversationId, long seq) {
        return mutation(ClientFrame.newBuilder().setPinMessage(PinMessage.newBuilder().setConversationId(conversationId)
                .setSeq(seq)));
    }

    public CompletableFuture<Ok> unpin(long conversationId, long seq) {
        return mutation(ClientFrame.newBuilder().setPinMessage(PinMessage.newBuilder().setConversationId(conversationId)
                .setSeq(seq).setUnpin(true)));
    }

    /** Deletes messages for the caller only: gone from their history and devices, still there for others. */
    public CompletableFuture<Ok> deleteForMe(long conversationId, List<Long> seqs) {
        return mutation(ClientFrame.newBuilder().setDeleteForMe(DeleteForMe.newBuilder()
                .setConversationId(conversationId).addAllSeqs(seqs)));
    }

    /** Who reacted to a message (with {@code emoji}, or any when empty), paged by user id. */
    public CompletableFuture<ReactionsResult> reactions(long conversationId, long seq, String emoji, long afterUserId,
                                                        int limit) {
        return call(ClientFrame.newBuilder().setGetReactions(GetReactions.newBuilder().setConversationId(conversationId)
                .setSeq(seq).setEmoji(emoji).setAfterUserId(afterUserId).setLimit(limit)), ServerFrame::getReactionsResult);
    }

    public CompletableFuture<SyncResult> sync(long afterPts, int limit) {
        return call(ClientFrame.newBuilder().setSync(Sync.newBuilder().setAfterPts(afterPts).setLimit(limit)),
                ServerFrame::getSyncResult);
    }

    public CompletableFuture<HistoryResult> history(long conversationId, long beforeSeq, int limit) {
        return call(ClientFrame.newBuilder().setHistory(History.newBuilder().setConversationId(conversationId)
                .setBeforeSeq(beforeSeq).setLimit(limit)), ServerFrame::getHistoryResult);
    }

    public CompletableFuture<Ok> markRead(long conversationId, long upToSeq) {
        return mutation(ClientFrame.newBuilder().setMarkRead(MarkRead.newBuilder().setConversationId(conversationId)
                .setUpToSeq(upToSeq)));
    }

    /**
     * "This device has received the conversation up to {@code upToSeq}": raises the user's delivered
     * marker; the other members' online devices get a {@code delivered} update. Sent on its own for
     * other users' messages unless {@link ClientOptions#withDeliveryReceipts} turned that off. Never
     * makes a log entry: the Ok has no pts.
     */
    public CompletableFuture<Ok> markDelivered(long conversationId, long upToSeq) {
        return mutation(ClientFrame.newBuilder().setMarkDelivered(dev.tern.protocol.v1.MarkDelivered.newBuilder()
                .setConversationId(conversationId).setUpToSeq(upToSeq)));
    }

    private long myUserId() {
        Session s = connection.session();
        return s == null ? 0 : s.getUserId();
    }

    public CompletableFuture<Ok> typing(long conversationId, boolean stopped) {
        return call(ClientFrame.newBuilder().setTyping(Typing.newBuilder().setConversationId(conversationId)
                .setStopped(stopped)), ServerFrame::getOk);
    }

    public CompletableFuture<PresenceResult> presence(List<String> usernames, boolean subscribe) {
        return call(ClientFrame.newBuilder().setPresence(PresenceQuery.newBuilder().addAllUsernames(usernames)
                .setSubscribe(subscribe)), ServerFrame::getPresenceResult);
    }

    // ------------------------------------------------------------------ groups

    public CompletableFuture<Ok> createGroup(String title, List<String> members) {
        return createGroup(title, members, "");
    }

    /** Creates a group; retried with the same {@code clientId} (after a lost answer) it gets the first group. */
    public CompletableFuture<Ok> createGroup(String title, List<String> members, String clientId) {
        return mutation(ClientFrame.newBuilder().setCreateGroup(CreateGroup.newBuilder().setTitle(title)
                .addAllMembers(members).setClientId(clientId)));
    }

    public CompletableFuture<Ok> addMember(long conversationId, String username, Role role) {
        return mutation(ClientFrame.newBuilder().setAddMember(AddMember.newBuilder().setConversationId(conversationId)
                .setUsername(username).setRole(role)));
    }

    public CompletableFuture<Ok> removeMember(long conversationId, String username) {
        return mutation(ClientFrame.newBuilder().setRemoveMember(RemoveMember.newBuilder()
                .setConversationId(conversationId).setUsername(username)));
    }

    /** Changes what {@code change} sets of a group: title, description, admins-only posting, slow mode. */
    public CompletableFuture<Ok> updateGroup(UpdateGroup.Builder change) {
        return mutation(ClientFrame.newBuilder().setUpdateGroup(change));
    }

    /** Promotes, demotes, or (OWNER) hands the group over to a member; the owner only. */
    public CompletableFuture<Ok> setRole(long conversationId, String username, Role role) {
        return mutation(ClientFrame.newBuilder().setSetRole(SetRole.newBuilder().setConversationId(conversationId)
                .setUsername(username).setRole(role)));
    }

    /** Removes a member and bans them: no re-adding, no joining by invite, until {@link #unban}. */
    public CompletableFuture<Ok> ban(long conversationId, String username) {
        return mutation(ClientFrame.newBuilder().setRemoveMember(RemoveMember.newBuilder()
                .setConversationId(conversationId).setUsername(username).setBan(true)));
    }

    public CompletableFuture<Ok> unban(long conversationId, String username) {
        return mutation(ClientFrame.newBuilder().setUnban(Unban.newBuilder().setConversationId(conversationId)
                .setUsername(username)));
    }

    /** A page of a group's members in user-id order. */
    public CompletableFuture<MembersResult> members(long conversationId, long afterUserId, int limit) {
        return call(ClientFrame.newBuilder().setGetMembers(GetMembers.newBuilder().setConversationId(conversationId)
                .setAfterUserId(afterUserId).setLimit(limit)), ServerFrame::getMembersResult);
    }

    /** A new invite link token for a group (owner and admins). */
    public CompletableFuture<Invite> createInvite(long conversationId) {
        return call(ClientFrame.newBuilder().setCreateInvite(CreateInvite.newBuilder().setConversationId(conversationId)),
                ServerFrame::getInvite);
    }

    public CompletableFuture<Ok> revokeInvite(long conversationId, String token) {
        return mutation(ClientFrame.newBuilder().setRevokeInvite(RevokeInvite.newBuilder()
                .setConversationId(conversationId).setToken(token)));
    }

    /** Joins the group an invite token opens. */
    public CompletableFuture<Ok> joinByInvite(String token) {
        return mutation(ClientFrame.newBuilder().setJoinByInvite(JoinByInvite.newBuilder().setToken(token)));
    }

    /** Blocks a user: no messages from them in your direct chat, no presence or typing either way. */
    public CompletableFuture<Ok> block(String username) {
        return call(ClientFrame.newBuilder().setBlock(Block.newBuilder().setUsername(username)), ServerFrame::getOk);
    }

    public CompletableFuture<Ok> unblock(String username) {
        return call(ClientFrame.newBuilder().setBlock(Block.newBuilder().setUsername(username).setUnblock(true)),
                ServerFrame::getOk);
    }

    /** Adds a user to your contact list (privacy settings may be "contacts only"). */
    public CompletableFuture<Ok> addContact(String username) {
        return call(ClientFrame.newBuilder().setContact(Contact.newBuilder().setUsername(username)), ServerFrame::getOk);
    }

    public CompletableFuture<Ok> removeContact(String username) {
        return call(ClientFrame.newBuilder().setContact(Contact.newBuilder().setUsername(username).setRemove(true)),
                ServerFrame::getOk);
    }

    public CompletableFuture<ContactsResult> contacts() {
        return call(ClientFrame.newBuilder().setGetContacts(GetContacts.getDefaultInstance()), ServerFrame::getContactsResult);
    }

    /** Who sees your last seen time and your read markers; VISIBILITY_UNSPECIFIED keeps a setting. */
    public CompletableFuture<Privacy> setPrivacy(Visibility lastSeen, Visibility readReceipts) {
        return call(ClientFrame.newBuilder().setSetPrivacy(SetPrivacy.newBuilder().setLastSeen(lastSeen)
                .setReadReceipts(readReceipts)), ServerFrame::getPrivacy);
    }

    /** The users you block. */
    public CompletableFuture<BlockedResult> blocked() {
        return call(ClientFrame.newBuilder().setGetBlocked(GetBlocked.getDefaultInstance()), ServerFrame::getBlockedResult);
    }

    /** Creates a channel; an empty {@code publicName} makes it private (joined by invite link). */
    public CompletableFuture<Ok> createChannel(String title, String description, String publicName) {
        return createChannel(title, description, publicName, "");
    }

    /** The same, retried with the same {@code clientId} (after a lost answer) it gets the first channel. */
    public CompletableFuture<Ok> createChannel(String title, String description, String publicName, String clientId) {
        return mutation(ClientFrame.newBuilder().setCreateChannel(CreateChannel.newBuilder().setTitle(title)
                .setDescription(description).setPublicName(publicName).setClientId(clientId)));
    }

    /** Subscribes to the public channel with this name. */
    public CompletableFuture<Ok> joinChannel(String publicName) {
        return mutation(ClientFrame.newBuilder().setJoinChannel(JoinChannel.newBuilder().setPublicName(publicName)));
    }

    /**
     * Edits, deletions and reaction changes of a broadcast conversation's messages after
     * {@code afterChange} (its change log; see ConversationNews.last_change and Dialog.last_change).
     */
    public CompletableFuture<ChangesResult> changes(long conversationId, long afterChange, int limit) {
        return call(ClientFrame.newBuilder().setGetChanges(GetChanges.newBuilder().setConversationId(conversationId)
                .setAfterChange(afterChange).setLimit(limit)), ServerFrame::getChangesResult);
    }

    /** Public channels whose name starts with {@code prefix}. */
    public CompletableFuture<ChannelsResult> searchChannels(String prefix, int limit) {
        return call(ClientFrame.newBuilder().setSearchChannels(SearchChannels.newBuilder().setPrefix(prefix)
                .setLimit(limit)), ServerFrame::getChannelsResult);
    }

    /** A page of the conversation list (first page of the main list: {@code GetDialogs.getDefaultInstance()}). */
    public CompletableFuture<DialogsResult> dialogs(GetDialogs req) {
        return call(ClientFrame.newBuilder().setGetDialogs(req), ServerFrame::getDialogsResult);
    }

    /** Changes this user's settings (mute, archive, pin, draft) for one conversation, on every device. */
    public CompletableFuture<Ok> updateDialog(UpdateDialog req) {
        return mutation(ClientFrame.newBuilder().setUpdateDialog(req));
    }

    /**
     * Messages you can read that contain every word of {@code query}, newest first. Filters
     * (conversation, sender, dates) and paging (cursor, limit) are fields of the request; pass the
     * result's {@code next_cursor} as {@code cursor} for the next page.
     */
    public CompletableFuture<SearchResult> searchMessages(SearchMessages request) {
        return call(ClientFrame.newBuilder().setSearchMessages(request), ServerFrame::getSearchResult);
    }

    /** The first page of messages with every word of {@code query}, in all your conversations. */
    public CompletableFuture<SearchResult> searchMessages(String query) {
        return searchMessages(SearchMessages.newBuilder().setQuery(query).build());
    }

    /** Users whose username starts with {@code prefix} (at least 2 characters), in name order. */
    public CompletableFuture<UsersResult> searchUsers(String prefix, int limit) {
        return call(ClientFrame.newBuilder().setSearchUsers(SearchUsers.newBuilder().setQuery(prefix).setLimit(limit)),
                ServerFrame::getUsersResult);
    }

    public CompletableFuture<Ok> leave(long conversationId) {
        return mutation(ClientFrame.newBuilder().setLeave(Leave.newBuilder().setConversationId(conversationId)));
    }

    public CompletableFuture<ConversationInfo> conversation(long conversationId) {
        return call(ClientFrame.newBuilder().setGetConversation(GetConversation.newBuilder()
                .setConversationId(conversationId)), ServerFrame::getConversation);
    }

    // ------------------------------------------------------------------ state

    /** The pts up to which every update has been handed to the listener. */
    public long cursor() {
        return cursor.value();
    }

    /** The ticket to keep for {@link #resume}; null before login. Treat it like a password. */
    public String ticket() {
        return connection.ticket();
    }

    /**
     * Files: uploads (resumable) and downloads over the same server's HTTP endpoints, signed in with
     * this client's ticket.
     */
    public TernMedia media() {
        URI ws = options.uri();
        String scheme = "wss".equalsIgnoreCase(ws.getScheme()) ? "https" : "http";
        return new TernMedia(http, URI.create(scheme + "://" + ws.getRawAuthority() + "/"), this::ticket);
    }

    public Session session() {
        return connection.session();
    }

    /** Sends not yet acknowledged. */
    public int unacknowledged() {
        return outbox.size();
    }

    /** Drops the connection as a network failure would; the client reconnects if configured to. */
    public void dropConnection() {
        connection.drop();
    }

    @Override
    public void close() {
        connection.close();
    }

    // ------------------------------------------------------------------ internals

    /** Whether the outbox may transmit: the connection is up and the session authenticated. */
    boolean ready() {
        return connection.ready();
    }

    /** One send attempt on the current connection; the outbox decides about retries. */
    CompletableFuture<SendAck> transmit(Send send) {
        return call(ClientFrame.newBuilder().setSend(send), ServerFrame::getSendAck).thenApply(ack -> {
            cursor.entry(ack.getPts(), ack.getPrevPts(), null);
            return ack;
        });
    }

    private CompletableFuture<Ok> mutation(ClientFrame.Builder frame) {
        return call(frame, ServerFrame::getOk).thenApply(ok -> {
            if (ok.getPts() != 0) {
                cursor.entry(ok.getPts(), ok.getPrevPts(), null);
            }
            return ok;
        });
    }

    private CompletableFuture<SyncResult> syncPage(long after) {
        return sync(after, 2000);
    }

    private <T> CompletableFuture<T> call(ClientFrame.Builder frame, Function<ServerFrame, T> extract) {
        return connection.call(frame, extract);
    }
}
