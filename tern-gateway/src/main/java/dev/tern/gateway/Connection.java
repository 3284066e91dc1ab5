package dev.tern.gateway;

import dev.tern.core.Principal;
import dev.tern.core.delivery.Sink;
import dev.tern.core.view.Push;
import dev.tern.gateway.http.HttpHandler;
import dev.tern.gateway.http.MalformedRequests;
import dev.tern.gateway.wire.Codes;
import dev.tern.gateway.wire.Pushes;
import dev.tern.protocol.ErrorTable;
import dev.tern.protocol.FrameCodec;
import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.Error;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Pong;
import dev.tern.protocol.v1.ServerFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;

/**
 * One WebSocket connection, the last handler of its pipeline: it decodes frames and routes them (a
 * ping is answered, a warm send may be ordered right here, everything else goes to the
 * {@link Mailbox}), keeps the session's state (who is logged in, where it is registered), its auth
 * and idle deadlines, and is the core's {@link Sink} for pushes once authenticated.
 *
 * <p>The other jobs are apart, one class each: {@link Mailbox} (requests in order, back-pressure on
 * reads), {@link Outbound} (frames to the client, back-pressure on writes, the slow-reader bound),
 * {@link WireFormat} (JSON or protobuf), {@link ReadThrottle} (reads paused for a client that
 * ignores OVERLOADED) and {@link Goodbye} (the close protocol).
 *
 * <p>Threads: the handler methods on the channel's event loop; {@link #send} and {@link #close}
 * from any thread; requests are handled on the mailbox's virtual thread. Whether the socket is read
 * is decided on the event loop only ({@link #updateReads}).
 */
final class Connection extends SimpleChannelInboundHandler<WebSocketFrame> implements Sink, Mailbox.Owner {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    static final String SHUTTING_DOWN_MESSAGE = "server is shutting down; reconnect later";
    private static final VarHandle REGISTERED_USER;
    private static final VarHandle CLOSING;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            CLOSING = l.findVarHandle(Connection.class, "closing", boolean.class);
            REGISTERED_USER = l.findVarHandle(Connection.class, "registeredUser", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Requests dispatcher;
    private final GatewayConfig config;
    private final IdleSweeper sweeper;
    private final AddressLimit addressLimit;
    private final Mailbox mailbox;
    private final Deadlines deadlines;
    private final Outbound outbound;
    private final SendOrder sendOrder = new SendOrder();
    // Per-session memory matters at a million connections: flags are plain fields (two through
    // VarHandles rather than atomic objects), and the throttle exists only once it is needed.
    private boolean countedAddress;       // event loop: addressLimit counted this connection
    private ReadThrottle throttle;        // event loop
    private volatile ChannelHandlerContext context;
    private volatile Channel channel;     // set at the WebSocket handshake
    private volatile Principal principal;
    // The user this connection is registered under in Sessions (0: none); taken exactly once by detach.
    @SuppressWarnings("unused") // through REGISTERED_USER
    private volatile long registeredUser;
    private volatile boolean closing;  // set once (CLOSING): the goodbye began or the peer went away
    private volatile boolean stopping; // the server stops: requests are answered SHUTTING_DOWN

    Connection(Requests dispatcher, GatewayConfig config, IdleSweeper sweeper, AddressLimit addressLimit) {
        this.dispatcher = dispatcher;
        this.config = config;
        this.sweeper = sweeper;
        this.addressLimit = addressLimit;
        this.mailbox = new Mailbox(config.maxInflight(), this);
        this.outbound = new Outbound(config.maxOutboundBytes(), dispatcher.metrics(), this::slowReader);
        this.deadlines = new Deadlines(config.authTimeout(), config.idleTimeout());
    }

    /** Event loop: bytes were read (every read counts, WebSocket pings included). */
    void touched(long nanos) {
        deadlines.read(nanos);
    }

    /** Called by the event loop's sweeper about once a second. */
    void checkTimeouts(long now) {
        if (closing) {
            return;
        }
        if (channel == null) {
            if (deadlines.idle(now) && context != null) {
                context.close(); // an idle plain-HTTP keep-alive connection
            }
            return;
        }
        boolean authenticated = principal != null || (long) REGISTERED_USER.getVolatile(this) != 0;
        ErrorCode expired = deadlines.expired(now, authenticated);
        if (expired != null) {
            goodbye(expired, deadlines.message(expired));
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }


    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete hc) {
            Outbound.configure(ctx.channel());
            outbound.open(ctx.channel(), FrameCodec.BINARY_SUBPROTOCOL.equals(hc.selectedSubprotocol()));
            channel = ctx.channel();
            // A WebSocket connection serves no more HTTP.
            ctx.pipeline().remove(HttpHandler.NAME);
            ctx.pipeline().remove(MalformedRequests.NAME);
            if (!countedAddress) {
                // Refused after the handshake rather than at accept, so the client learns why.
                goodbye(ErrorCode.CONNECTIONS_PER_ADDRESS, "more than " + addressLimit.max()
                        + " connections from this address");
            }
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (closing) {
            return; // read on after a goodbye only so that the close is not a reset (see Goodbye)
        }
        outbound.readStarted();
        dispatcher.metrics().frameIn();
        FrameCodec.Decoded decoded = WireFormat.decode(frame);
        if (decoded == null) {
            return; // ping/pong/close are handled by Netty's protocol handler
        }
        switch (decoded) {
            case FrameCodec.Rejected r -> send(error(r.requestId(), r.code(), r.message()));
            case FrameCodec.Frame f when f.frame().getBodyCase() == ClientFrame.BodyCase.PING ->
                    send(ServerFrame.newBuilder().setId(f.frame().getId()).setPong(Pong.getDefaultInstance()).build());
            case FrameCodec.Frame f when stopping ->
                    send(error(f.frame().getId(), ErrorCode.SHUTTING_DOWN, SHUTTING_DOWN_MESSAGE));
            case FrameCodec.Frame f -> {
                boolean charged = false;
                // A send may be ordered right here only when nothing of this connection is ahead of it.
                if (f.frame().getBodyCase() == ClientFrame.BodyCase.SEND && principal != null && mailbox.idle()) {
                    if (dispatcher.sendNow(this, f.frame())) {
                        return;
                    }
                    charged = true; // sendNow counted it against the rate limits before giving up
                }
                mailbox.add(f.frame(), charged);
            }
        }
    }


    /** Mailbox: handles one request on the mailbox's thread. */
    @Override
    public void handle(ClientFrame frame, long waitedNanos, boolean limitsCharged) {
        if (closing) {
            return; // a goodbye was said: no answer could follow it
        }
        if (stopping) {
            send(error(frame.getId(), ErrorCode.SHUTTING_DOWN, SHUTTING_DOWN_MESSAGE));
        } else {
            dispatcher.handle(this, frame, waitedNanos, limitsCharged);
        }
    }

    /** Mailbox: it filled up or drained to half. */
    @Override
    public void backPressure(boolean full) {
        updateReads();
    }

    /** An OVERLOADED answer was sent (event loop): see {@link ReadThrottle}. */
    private void refused(int retryAfterMs) {
        Channel ch = channel;
        if (ch != null && !closing && !stopping) {
            if (throttle == null) {
                throttle = new ReadThrottle();
            }
            throttle.refused(retryAfterMs, ch, dispatcher.metrics(), this::updateReads);
        }
    }

    /**
     * Reads the socket unless the mailbox is full or the throttle paused it; always while closing or
     * stopping (what the client still sends is then answered or discarded, so that the close is not
     * a reset). Decided on the event loop, so the two sources cannot race.
     */
    private void updateReads() {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        if (!ch.eventLoop().inEventLoop()) {
            ch.eventLoop().execute(this::updateReads);
            return;
        }
        boolean paused = throttle != null && throttle.paused();
        ch.config().setAutoRead(closing || stopping || !mailbox.full() && !paused);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (channel != null) {
            outbound.readComplete();
        }
        super.channelReadComplete(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            outbound.writable();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        dispatcher.metrics().connectionOpened();
        InetAddress remote = AddressLimit.of(ctx.channel());
        countedAddress = remote == null || addressLimit.tryOpen(remote);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        CLOSING.setVolatile(this, true);
        if (channel != null) {
            outbound.endDropping(); // releases the encoded frames that waited
        }
        dispatcher.metrics().connectionClosed();
        InetAddress remote = AddressLimit.of(ctx.channel());
        if (countedAddress && remote != null) {
            addressLimit.closed(remote);
            countedAddress = false;
        }
        sweeper.untrack(ctx.channel().eventLoop(), this);
        Thread.ofVirtual().start(() -> dispatcher.detach(this));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Goodbye.Farewell bye = Goodbye.forError(cause, config.maxFrameBytes());
        if (bye != null) {
            terminate(bye.reason(), bye.message(), bye.closeCode(), false);
        } else {
            log.debug("connection error, closing", cause);
            ctx.close();
        }
    }


    Principal principal() {
        return principal;
    }

    /** The order of this connection's sends across refusals. */
    SendOrder sendOrder() {
        return sendOrder;
    }

    /** The client's network address as text, for per-address limits. */
    String address() {
        ChannelHandlerContext ctx = context;
        InetAddress a = ctx == null ? null : AddressLimit.of(ctx.channel());
        return a == null ? "unknown" : a.getHostAddress();
    }

    void authenticated(Principal p) {
        principal = p;
    }

    /** Records the user the connection was registered under, after it was added to Sessions. */
    void registered(long userId) {
        REGISTERED_USER.setVolatile(this, userId);
    }

    /** The registered user, once: the caller removes the connection from Sessions (0: nothing to do). */
    long takeRegistration() {
        return (long) REGISTERED_USER.getAndSet(this, 0L);
    }

    /** True once the connection is closing or closed. */
    boolean isClosed() {
        return closing;
    }

    void loggedOut() {
        principal = null;
        deadlines.restartAuth();
    }


    /**
     * Queues a response or push (any thread); {@link Outbound} encodes and writes it on the event loop.
     * Nothing is queued once the connection is closing: the goodbye is the last frame.
     */
    void send(ServerFrame frame) {
        Channel ch = channel;
        if (ch == null || closing) {
            return;
        }
        if (frame.hasError()) {
            dispatcher.metrics().error(frame.getError().getCode());
            if (frame.getError().getCode() == ErrorCode.OVERLOADED) {
                int hint = frame.getError().getRetryAfterMs();
                if (ch.eventLoop().inEventLoop()) {
                    refused(hint);
                } else {
                    ch.eventLoop().execute(() -> refused(hint));
                }
            }
        }
        outbound.offer(frame);
    }

    static ServerFrame error(String requestId, ErrorCode code, String message) {
        return error(requestId, code, message, 0);
    }

    static ServerFrame error(String requestId, ErrorCode code, String message, int retryAfterMs) {
        return ServerFrame.newBuilder().setId(requestId).setError(Error.newBuilder().setCode(code).setMessage(message)
                .setRetryable(ErrorTable.of(code).retryable()).setRetryAfterMs(retryAfterMs)).build();
    }

    @Override
    public long userId() {
        Principal p = principal;
        return p == null ? 0 : p.userId();
    }

    @Override
    public long deviceId() {
        Principal p = principal;
        return p == null ? 0 : p.deviceId();
    }

    @Override
    public void push(Push push) {
        if (channel == null || closing) {
            return; // not built for a connection that would drop it
        }
        ServerFrame frame;
        try {
            frame = Pushes.frame(push);
        } catch (RuntimeException bug) {
            // A value that cannot be mapped (a corrupt stored body): this push is lost for this
            // device, which finds the entry in its log; the other devices and pushes are not held up.
            org.slf4j.LoggerFactory.getLogger(Connection.class).error("push to user {} not mapped", userId(), bug);
            return;
        }
        send(frame);
    }

    @Override
    public void close(dev.tern.core.ErrorCode reason, String message) {
        goodbye(Codes.wire(reason), message);
    }

    /** Says goodbye with {@code reason} and closes (any thread). */
    void goodbye(ErrorCode reason, String message) {
        terminate(reason, message, Goodbye.closeCode(reason), false);
    }

    /** On the event loop: too much waits for a client that does not read (see {@link Outbound}). */
    private void slowReader() {
        terminate(ErrorCode.SLOW_READER, "outbound buffer exceeded " + config.maxOutboundBytes() + " bytes",
                Goodbye.closeCode(ErrorCode.SLOW_READER), true);
    }

    /**
     * The server stops: from now on every request, queued or new, is answered SHUTTING_DOWN (the one
     * being handled finishes), and the socket is read on so that none is left unanswered in it.
     */
    void stopRequests() {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        stopping = true;
        updateReads();
    }

    /** Shutdown (any thread): the goodbye once the client is quiet, see {@link Goodbye#whenQuiet}. */
    void closeWhenQuiet(ErrorCode reason, String message, long deadlineNanos) {
        Channel ch = channel;
        if (ch != null) {
            Goodbye.whenQuiet(ch, deadlines, deadlineNanos, () -> goodbye(reason, message));
        }
    }

    /** True while this is an open WebSocket connection. */
    boolean open() {
        Channel ch = channel;
        return ch != null && ch.isOpen();
    }

    /** True when no request of this connection is queued or being handled. */
    boolean requestsDone() {
        return mailbox.done();
    }

    /** Says goodbye once (any thread); the close protocol runs on the event loop, see {@link Goodbye}. */
    private void terminate(ErrorCode reason, String message, int closeCode, boolean dropQueued) {
        Channel ch = channel;
        if (ch == null || !CLOSING.compareAndSet(this, false, true)) {
            return;
        }
        if (ch.eventLoop().inEventLoop()) {
            Goodbye.say(ch, outbound, reason, message, closeCode, dropQueued, dispatcher.metrics());
        } else {
            ch.eventLoop().execute(() -> Goodbye.say(ch, outbound, reason, message, closeCode, dropQueued,
                    dispatcher.metrics()));
        }
    }
}
