package dev.tern.bench.ceiling;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tern.protocol.FrameCodec;
import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.Error;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.Ok;
import dev.tern.protocol.v1.Pong;
import dev.tern.protocol.v1.Registered;
import dev.tern.protocol.v1.Send;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.protocol.v1.Session;
import dev.tern.protocol.v1.SyncResult;
import dev.tern.protocol.v1.Welcome;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * One connection. Everything runs on its event loop; shared state lives in {@link Relay}, and all
 * output goes through the connection's {@link Outbox} so that replies and pushes stay in order.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {
    private static final int MAX_FRAME_BYTES = 128 * 1024;

    private final Relay relay;
    private final GroupCommit commit; // null in bare mode
    private Outbox outbox;
    private Relay.User user;
    private long device;

    RelayHandler(Relay relay, GroupCommit commit) {
        this.relay = relay;
        this.commit = commit;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete hc) {
            outbox = new Outbox(ctx.channel(), !FrameCodec.JSON_SUBPROTOCOL.equals(hc.selectedSubprotocol()));
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof BinaryWebSocketFrame bin) {
                ClientFrame f;
                try {
                    // nioBuffer() is a view of the received bytes: no copy into a byte[] first.
                    f = ClientFrame.parseFrom(bin.content().nioBuffer());
                } catch (InvalidProtocolBufferException e) {
                    outbox.offer(error("", ErrorCode.MALFORMED_FRAME, "malformed frame"));
                    return;
                }
                handle(f);
            } else if (msg instanceof TextWebSocketFrame text) {
                switch (FrameCodec.decodeJson(text.text())) {
                    case FrameCodec.Frame f -> handle(f.frame());
                    case FrameCodec.Rejected r -> outbox.offer(error(r.requestId(), r.code(), r.message()));
                }
            } else if (msg instanceof FullHttpRequest) {
                // Anything but the WebSocket upgrade on /ws.
                ctx.writeAndFlush(new DefaultFullHttpResponse(
                        ((FullHttpRequest) msg).protocolVersion(), HttpResponseStatus.NOT_FOUND))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void handle(ClientFrame f) {
        String id = f.getId();
        switch (f.getBodyCase()) {
            case HELLO -> outbox.offer(frame(id).setWelcome(Welcome.newBuilder().setProtocolVersion(1)
                    .setServerVersion("tern-ceiling").setMaxFrameBytes(MAX_FRAME_BYTES)).build());
            case PING -> outbox.offer(frame(id).setPong(Pong.getDefaultInstance()).build());
            case REGISTER -> {
                Relay.User u = relay.user(f.getRegister().getUsername());
                outbox.offer(frame(id).setRegistered(Registered.newBuilder().setUserId(u.id).setUsername(u.name)).build());
            }
            case LOGIN -> attach(id, relay.user(f.getLogin().getUsername()), true);
            case RESUME -> attach(id, relay.user(f.getResume().getTicket()), false);
            case SYNC -> {
                if (authenticated(id)) {
                    // Nothing is stored for replay: the cursor stays where the client is.
                    outbox.offer(frame(id).setSyncResult(SyncResult.newBuilder().setPts(f.getSync().getAfterPts())).build());
                }
            }
            case CREATE_GROUP -> {
                if (authenticated(id)) {
                    Relay.Conv c = relay.createGroup(user, f.getCreateGroup().getMembersList());
                    outbox.offer(frame(id).setOk(Ok.newBuilder().setConversationId(c.id)).build());
                }
            }
            case SEND -> {
                if (authenticated(id)) {
                    send(id, f.getSend());
                }
            }
            default -> outbox.offer(error(id, ErrorCode.INVALID_ARGUMENT, "not supported by the ceiling relay"));
        }
    }

    /** Binds the connection to a user; under the user's monitor so no push slips between pts and session. */
    private void attach(String id, Relay.User u, boolean login) {
        if (user != null) {
            outbox.offer(error(id, ErrorCode.ALREADY_AUTHENTICATED, "already authenticated"));
            return;
        }
        user = u;
        device = relay.nextDevice();
        synchronized (u) {
            u.outboxes.add(outbox);
            outbox.offer(frame(id).setSession(Session.newBuilder().setUserId(u.id).setUsername(u.name)
                    .setDeviceId(device).setTicket(login ? u.name : "").setPts(u.pts)).build());
        }
    }

    private void send(String id, Send s) {
        Relay.Conv conv = switch (s.getTargetCase()) {
            case PEER -> relay.direct(user, s.getPeer());
            case CONVERSATION_ID -> relay.conversation(s.getConversationId());
            case TARGET_NOT_SET -> null;
        };
        if (conv == null) {
            outbox.offer(error(id, ErrorCode.INVALID_ARGUMENT, "no such conversation"));
            return;
        }
        if (!conv.memberSet.contains(user)) {
            outbox.offer(error(id, ErrorCode.NOT_MEMBER, "not a member"));
            return;
        }
        Message.Builder m = Relay.baseMessage(user, device, conv).setClientMsgId(s.getClientMsgId())
                .setContentType(s.getContentType()).setTsMs(System.currentTimeMillis());
        if (s.getContentCase() == Send.ContentCase.DATA) {
            m.setData(s.getData());
        } else {
            m.setText(s.getText());
        }
        Relay.Pending p = new Relay.Pending(user, device, outbox, id, conv, m.build());
        if (commit == null) {
            relay.relayNow(p);
        } else {
            commit.submit(p);
        }
    }

    private boolean authenticated(String id) {
        if (user == null) {
            outbox.offer(error(id, ErrorCode.NOT_AUTHENTICATED, "login or resume first"));
        }
        return user != null;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (user != null) {
            user.outboxes.remove(outbox);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private static ServerFrame.Builder frame(String id) {
        return ServerFrame.newBuilder().setId(id);
    }

    private static ServerFrame error(String id, ErrorCode code, String message) {
        return frame(id).setError(Error.newBuilder().setCode(code).setMessage(message)).build();
    }
}
