package dev.tern.client;

import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.DeleteForMe;
import dev.tern.protocol.v1.EditMessage;
import dev.tern.protocol.v1.GetReactions;
import dev.tern.protocol.v1.History;
import dev.tern.protocol.v1.HistoryResult;
import dev.tern.protocol.v1.Login;
import dev.tern.protocol.v1.Logout;
import dev.tern.protocol.v1.MarkRead;
import dev.tern.protocol.v1.MessageRef;
import dev.tern.protocol.v1.Ok;
import dev.tern.protocol.v1.PinMessage;
import dev.tern.protocol.v1.PresenceQuery;
import dev.tern.protocol.v1.PresenceResult;
import dev.tern.protocol.v1.React;
import dev.tern.protocol.v1.ReactionsResult;
import dev.tern.protocol.v1.RecallMessage;
import dev.tern.protocol.v1.Register;
import dev.tern.protocol.v1.Registered;
import dev.tern.protocol.v1.Resume;
import dev.tern.protocol.v1.Send;
import dev.tern.protocol.v1.SendAck;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.protocol.v1.Session;
import dev.tern.protocol.v1.Sync;
import dev.tern.protocol.v1.SyncResult;
import dev.tern.protocol.v1.Typing;

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
 * <p>This class is the API: the session calls (login, resume, password change, logout), the
 * message requests, and the device's own log entries (send acks, Oks with a pts) handed to the
 * cursor. The requests for groups, people, channels, dialogs and search are in {@code TernRequests},
 * which only this class extends. The connection itself (hello, heartbeat, reconnect and resume) is
 * {@code Connection}'s.
 */
public final class TernClient extends TernRequests implements AutoCloseable {
    private final ClientOptions options;
    private final HttpClient http;
    private final Cursor cursor;
    private final Outbox outbox;
    private final Connection connection;

    private TernClient(ClientOptions options, TernListener listener, Scheduler scheduler) {
        this.options = options;
        this.http = options.sslContext() == null ? HttpClient.newHttpClient()
                : HttpClient.newBuilder().sslContext(options.sslContext()).build();
        // The receipts see exactly the updates the application is handed. Null when turned off.
        DeliveryReceipts receipts = options.deliveryReceipts()
                ? new DeliveryReceipts(this::myUserId, this::markDelivered, scheduler) : null;
        this.cursor = new Cursor(listener, this::syncPage, receipts == null ? u -> { } : receipts::handed, scheduler);
        this.outbox = new Outbox(this::ready, this::transmit, scheduler);
        this.connection = new Connection(options, listener, http, scheduler, cursor, outbox, receipts);
    }

    /** Opens the connection and exchanges hello; completes when the server welcomed the client. */
    public static CompletableFuture<TernClient> connect(ClientOptions options, TernListener listener) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tern-client-timer");
            t.setDaemon(true);
            return t;
        });
        return connect(options, listener, Scheduler.on(timer));
    }

    /** The same on a given scheduler: tests move the client's time by hand. */
    static CompletableFuture<TernClient> connect(ClientOptions options, TernListener listener, Scheduler scheduler) {
        TernClient c = new TernClient(options, listener == null ? new TernListener() { } : listener, scheduler);
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
    private boolean ready() {
        return connection.ready();
    }

    /** One send attempt on the current connection; the outbox decides about retries. */
    private CompletableFuture<SendAck> transmit(Send send) {
        return call(ClientFrame.newBuilder().setSend(send), ServerFrame::getSendAck).thenApply(ack -> {
            cursor.entry(ack.getPts(), ack.getPrevPts(), null);
            return ack;
        });
    }

    @Override
    CompletableFuture<Ok> mutation(ClientFrame.Builder frame) {
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

    @Override
    <T> CompletableFuture<T> call(ClientFrame.Builder frame, Function<ServerFrame, T> extract) {
        return connection.call(frame, extract);
    }
}
