package dev.tern.gateway;

import dev.tern.core.Await;
import dev.tern.core.Core;
import dev.tern.core.Failure;
import dev.tern.core.admission.Priority;
import dev.tern.core.auth.Accounts;
import dev.tern.core.auth.Principal;
import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Ok;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.protocol.v1.Session;
import dev.tern.protocol.v1.Welcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Maps each request to the core and the outcome to a response frame. Runs on the connection's
 * virtual thread; operations that wait for durability answer from their future's completion, so
 * the next request is taken without waiting for an fsync.
 */
final class Dispatcher implements Requests {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final Core core;
    private final GatewayConfig config;
    private final String serverVersion;
    private final GatewayMetrics metrics;

    Dispatcher(Core core, GatewayConfig config, String serverVersion, GatewayMetrics metrics) {
        this.core = core;
        this.config = config;
        this.serverVersion = serverVersion;
        this.metrics = metrics;
    }

    @Override
    public GatewayMetrics metrics() {
        return metrics;
    }

    /**
     * Handles one request that waited {@code waitedNanos} in the connection's mailbox. A request
     * past its deadline, or of a priority the current backlog refuses, is answered OVERLOADED
     * without being started.
     */
    @Override
    public void handle(Connection conn, ClientFrame f, long waitedNanos, boolean limitsCharged) {
        String id = f.getId();
        metrics.queued(waitedNanos);
        Principal p = conn.principal();
        // Log lines of this request carry its id and caller (MDC; the virtual thread is the request's).
        MDC.put("req", id);
        if (p != null) {
            MDC.put("user", Long.toString(p.userId()));
            MDC.put("device", Long.toString(p.deviceId()));
        }
        try {
            if (f.hasSend()) {
                conn.sendOrder().check(f.getSend()); // before admission: a send behind a refused one waits
            }
            core.admission().checkDeadline(waitedNanos);
            core.admission().admit(priorityOf(f.getBodyCase()));
            switch (f.getBodyCase()) {
                case HELLO -> {
                    conn.send(hello(id, f.getHello().getProtocolVersion()));
                    conn.sendOrder().enable(f.getHello().getOrderedSends());
                }
                case REGISTER -> {
                    requireAnonymous(p);
                    conn.send(frame(id).setRegistered(
                            core.accounts().register(f.getRegister().getUsername(), f.getRegister().getPassword(),
                                    conn.address())).build());
                }
                case LOGIN -> {
                    requireAnonymous(p);
                    Session s = core.accounts().login(f.getLogin().getUsername(), f.getLogin().getPassword(),
                            f.getLogin().getDeviceName(), conn.address());
                    attach(conn, core.accounts().principalOf(s));
                    conn.send(frame(id).setSession(s).build());
                }
                case RESUME -> {
                    requireAnonymous(p);
                    Accounts.Resumed r = core.accounts().resume(f.getResume().getTicket());
                    attach(conn, r.principal());
                    if (!core.accounts().stillValid(r.principal())) {
                        // A logout of this ticket ran between the check and the attach.
                        detach(conn);
                        throw new Failure(ErrorCode.TICKET_INVALID, "unknown or revoked ticket");
                    }
                    conn.send(frame(id).setSession(r.session()).build());
                }
                default -> handleAuthenticated(conn, requireSession(p), f, limitsCharged, System.nanoTime() - waitedNanos);
            }
        } catch (RuntimeException e) {
            if (f.hasSend()) {
                conn.sendOrder().refused(f.getSend(), e);
            }
            conn.send(failed(id, f.getBodyCase(), e));
        } finally {
            MDC.clear();
        }
    }

    /**
     * The event-loop fast path for a send whose conversation is warm: ordering it needs no store read,
     * so it is done here without a thread hop. Returns false when it must take the blocking path; the
     * send was then already counted against the rate limits. Refusals are answered here too.
     */
    @Override
    public boolean sendNow(Connection conn, ClientFrame f) {
        long received = System.nanoTime();
        Principal p = conn.principal();
        try {
            conn.sendOrder().check(f.getSend());
            core.admission().admit(Priority.NORMAL);
            core.limits().send(p);
            CompletableFuture<dev.tern.protocol.v1.SendAck> ack = core.messaging().sendIfWarm(p, f.getSend());
            if (ack == null) {
                return false; // counted against the limits above: the blocking path must not count it again
            }
            conn.sendOrder().accepted(f.getSend());
            reply(conn, f.getId(), acked(ack, received), ServerFrame.Builder::setSendAck);
        } catch (RuntimeException e) {
            conn.sendOrder().refused(f.getSend(), e);
            conn.send(failed(f.getId(), ClientFrame.BodyCase.SEND, e));
        }
        return true;
    }

    private void handleAuthenticated(Connection conn, Principal p, ClientFrame f, boolean limitsCharged,
                                     long receivedNanos) {
        String id = f.getId();
        switch (f.getBodyCase()) {
            case LOGOUT -> {
                core.accounts().logout(p, conn);
                detach(conn);
                conn.send(frame(id).setOk(Ok.getDefaultInstance()).build());
            }
            case CHANGE_PASSWORD -> {
                Session s = core.accounts().changePassword(p, f.getChangePassword().getOldPassword(),
                        f.getChangePassword().getNewPassword(), conn);
                conn.authenticated(core.accounts().principalOf(s)); // the new ticket from now on
                conn.send(frame(id).setSession(s).build());
            }
            case SEND -> {
                if (!limitsCharged) {
                    core.limits().send(p);
                }
                CompletableFuture<dev.tern.protocol.v1.SendAck> ack = core.messaging().send(p, f.getSend());
                conn.sendOrder().accepted(f.getSend());
                reply(conn, id, acked(ack, receivedNanos), ServerFrame.Builder::setSendAck);
            }
            case SYNC -> conn.send(frame(id).setSyncResult(
                    core.catchup().sync(p, f.getSync().getAfterPts(), f.getSync().getLimit())).build());
            case HISTORY -> conn.send(frame(id).setHistoryResult(core.catchup().history(p,
                    f.getHistory().getConversationId(), f.getHistory().getBeforeSeq(), f.getHistory().getLimit())).build());
            case CREATE_GROUP -> reply(conn, id, core.groups().create(p, f.getCreateGroup()), ServerFrame.Builder::setOk);
            case ADD_MEMBER -> reply(conn, id, core.groups().addMember(p, f.getAddMember().getConversationId(),
                    f.getAddMember().getUsername(), f.getAddMember().getRole()), ServerFrame.Builder::setOk);
            case REMOVE_MEMBER -> reply(conn, id, core.groups().removeMember(p, f.getRemoveMember().getConversationId(),
                    f.getRemoveMember().getUsername(), f.getRemoveMember().getBan()), ServerFrame.Builder::setOk);
            case UNBAN -> reply(conn, id, core.groups().unban(p, f.getUnban().getConversationId(),
                    f.getUnban().getUsername()), ServerFrame.Builder::setOk);
            case GET_MEMBERS -> conn.send(frame(id).setMembersResult(core.groups().members(p,
                    f.getGetMembers().getConversationId(), f.getGetMembers().getAfterUserId(),
                    f.getGetMembers().getLimit())).build());
            case CREATE_INVITE -> reply(conn, id, core.invites().create(p, f.getCreateInvite().getConversationId()),
                    ServerFrame.Builder::setInvite);
            case REVOKE_INVITE -> reply(conn, id, core.invites().revoke(p, f.getRevokeInvite().getConversationId(),
                    f.getRevokeInvite().getToken()), ServerFrame.Builder::setOk);
            case BLOCK -> reply(conn, id, core.blocks().block(p, f.getBlock().getUsername(), f.getBlock().getUnblock()),
                    ServerFrame.Builder::setOk);
            case CONTACT -> reply(conn, id, core.privacy().contact(p, f.getContact().getUsername(),
                    f.getContact().getRemove()), ServerFrame.Builder::setOk);
            case GET_CONTACTS -> conn.send(frame(id).setContactsResult(core.privacy().contacts(p)).build());
            case SET_PRIVACY -> reply(conn, id, core.privacy().set(p, f.getSetPrivacy()), ServerFrame.Builder::setPrivacy);
            case GET_PRIVACY -> conn.send(frame(id).setPrivacy(core.privacy().get(p)).build());
            case GET_BLOCKED -> conn.send(frame(id).setBlockedResult(core.blocks().blocked(p)).build());
            case JOIN_BY_INVITE -> reply(conn, id, core.invites().join(p, f.getJoinByInvite().getToken()),
                    ServerFrame.Builder::setOk);
            case LEAVE -> reply(conn, id, core.groups().leave(p, f.getLeave().getConversationId()),
                    ServerFrame.Builder::setOk);
            case UPDATE_GROUP -> reply(conn, id, core.settings().update(p, f.getUpdateGroup()), ServerFrame.Builder::setOk);
            case SET_ROLE -> reply(conn, id, core.settings().setRole(p, f.getSetRole().getConversationId(),
                    f.getSetRole().getUsername(), f.getSetRole().getRole()), ServerFrame.Builder::setOk);
            case MARK_READ -> reply(conn, id, core.receipts().markRead(p, f.getMarkRead().getConversationId(),
                    f.getMarkRead().getUpToSeq()), ServerFrame.Builder::setOk);
            case MARK_DELIVERED -> reply(conn, id, core.receipts().markDelivered(p,
                    f.getMarkDelivered().getConversationId(), f.getMarkDelivered().getUpToSeq()), ServerFrame.Builder::setOk);
            case TYPING -> {
                core.presence().typing(p, f.getTyping().getConversationId(), f.getTyping().getStopped());
                conn.send(frame(id).setOk(Ok.getDefaultInstance()).build());
            }
            case PRESENCE -> conn.send(frame(id).setPresenceResult(
                    core.presence().query(p, f.getPresence(), conn)).build());
            case GET_CONVERSATION -> conn.send(frame(id).setConversation(
                    core.groups().info(p, f.getGetConversation().getConversationId())).build());
            case EDIT_MESSAGE -> conn.send(frame(id).setOk(core.edits().edit(p, f.getEditMessage())).build());
            case RECALL_MESSAGE -> conn.send(frame(id).setOk(core.edits().recall(p,
                    f.getRecallMessage().getConversationId(), f.getRecallMessage().getSeq())).build());
            case REACT -> conn.send(frame(id).setOk(core.edits().react(p, f.getReact().getConversationId(),
                    f.getReact().getSeq(), f.getReact().getEmoji(), f.getReact().getRemove())).build());
            case PIN_MESSAGE -> conn.send(frame(id).setOk(core.pins().pin(p, f.getPinMessage().getConversationId(),
                    f.getPinMessage().getSeq(), f.getPinMessage().getUnpin())).build());
            case DELETE_FOR_ME -> conn.send(frame(id).setOk(core.edits().deleteForMe(p,
                    f.getDeleteForMe().getConversationId(), f.getDeleteForMe().getSeqsList())).build());
            case CREATE_CHANNEL -> reply(conn, id, core.channels().create(p, f.getCreateChannel()),
                    ServerFrame.Builder::setOk);
            case JOIN_CHANNEL -> reply(conn, id, core.channels().join(p, f.getJoinChannel().getPublicName()),
                    ServerFrame.Builder::setOk);
            case SEARCH_CHANNELS -> conn.send(frame(id).setChannelsResult(core.channels().search(p,
                    f.getSearchChannels().getPrefix(), f.getSearchChannels().getLimit())).build());
            case GET_CHANGES -> conn.send(frame(id).setChangesResult(core.catchup().changes(p,
                    f.getGetChanges().getConversationId(), f.getGetChanges().getAfterChange(),
                    f.getGetChanges().getLimit())).build());
            case GET_DIALOGS -> conn.send(frame(id).setDialogsResult(core.dialogs().list(p, f.getGetDialogs())).build());
            case UPDATE_DIALOG -> reply(conn, id, core.dialogs().update(p, f.getUpdateDialog()), ServerFrame.Builder::setOk);
            case GET_REACTIONS -> conn.send(frame(id).setReactionsResult(
                    core.edits().reactions(p, f.getGetReactions())).build());
            case SEARCH_MESSAGES -> conn.send(frame(id).setSearchResult(
                    core.search().messages(p, f.getSearchMessages())).build());
            case SEARCH_USERS -> conn.send(frame(id).setUsersResult(core.search().users(p, f.getSearchUsers())).build());
            default -> throw new Failure(ErrorCode.UNKNOWN_FRAME_TYPE, "unknown frame type");
        }
    }

    /** Counts the send and its ack latency once it is durable. */
    private <T> CompletableFuture<T> acked(CompletableFuture<T> ack, long receivedNanos) {
        return ack.whenComplete((a, e) -> {
            if (e == null) {
                metrics.sendAcked(receivedNanos);
            }
        });
    }

    /** Sends the response when the future completes (on the publisher thread, in commit order). */
    private static <T> void reply(Connection conn, String id, CompletableFuture<T> future,
                                  BiConsumer<ServerFrame.Builder, T> setter) {
        future.whenComplete((value, error) -> {
            if (error == null) {
                ServerFrame.Builder b = frame(id);
                setter.accept(b, value);
                conn.send(b.build());
            } else {
                conn.send(failed(id, null, Await.unwrap(error)));
            }
        });
    }

    /**
     * The error frame for a request that threw: a {@link Failure} keeps its code; anything else is a
     * bug, logged with the request id and answered INTERNAL without details.
     */
    private static ServerFrame failed(String id, ClientFrame.BodyCase what, Throwable t) {
        if (t instanceof Failure fail) {
            return Connection.error(id, fail.code(), fail.getMessage(), fail.retryAfterMs());
        }
        if (what == null) {
            log.error("request {} failed", id, t);
        } else {
            log.error("request {} ({}) failed", id, what, t);
        }
        return Connection.error(id, ErrorCode.INTERNAL, "internal error");
    }

    private ServerFrame hello(String id, int version) {
        if (version != 1) {
            throw new Failure(ErrorCode.UNSUPPORTED_VERSION, "this server speaks protocol version 1");
        }
        return frame(id).setWelcome(Welcome.newBuilder().setProtocolVersion(1).setServerVersion(serverVersion)
                .setMaxFrameBytes(config.maxFrameBytes()).setMaxBodyBytes(core.config().maxBodyBytes())
                .setIdleTimeoutMs((int) config.idleTimeout().toMillis())).build();
    }

    /**
     * Registers an authenticated connection. The registration is recorded after the add, and detach
     * takes it exactly once, so a close racing with the login can neither leak the connection in
     * Sessions nor remove it twice.
     */
    private void attach(Connection conn, Principal p) {
        conn.authenticated(p);
        core.sessions().add(conn);
        conn.registered(p.userId());
        if (conn.isClosed()) {
            detach(conn); // closed while logging in: channelInactive's detach may have found nothing
        }
    }

    /** Forgets a connection that logged out or closed. Idempotent. */
    @Override
    public void detach(Connection conn) {
        long user = conn.takeRegistration();
        if (user != 0) {
            core.sessions().remove(user, conn);
            core.presence().unsubscribe(conn);
        }
        conn.loggedOut();
    }

    /** What a request type is worth under overload (see {@link Priority}). */
    static Priority priorityOf(ClientFrame.BodyCase type) {
        return switch (type) {
            case HELLO, LOGIN, RESUME, SYNC, LOGOUT, PING, CHANGE_PASSWORD -> Priority.HIGH;
            case TYPING, PRESENCE, SEARCH_MESSAGES, SEARCH_USERS, SEARCH_CHANNELS -> Priority.LOW; // reads that can wait
            default -> Priority.NORMAL;
        };
    }

    private static void requireAnonymous(Principal p) {
        if (p != null) {
            throw new Failure(ErrorCode.ALREADY_AUTHENTICATED, "this connection already has a session");
        }
    }

    private static Principal requireSession(Principal p) {
        if (p == null) {
            throw new Failure(ErrorCode.NOT_AUTHENTICATED, "log in or resume first");
        }
        return p;
    }

    private static ServerFrame.Builder frame(String id) {
        return ServerFrame.newBuilder().setId(id);
    }
}
