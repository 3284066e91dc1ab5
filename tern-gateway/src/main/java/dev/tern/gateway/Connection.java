package dev.tern.gateway;

import dev.tern.core.auth.Principal;
import dev.tern.core.delivery.Sink;
import dev.tern.protocol.ErrorTable;
import dev.tern.protocol.FrameCodec;
import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.Error;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Pong;
import dev.tern.protocol.v1.ServerFrame;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandles;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One WebSocket connection: decodes frames on the event loop, queues requests in a mailbox that a
 * virtual thread drains in order, and is the core's {@link Sink} for pushes once authenticated.
 */
final class Connection extends SimpleChannelInboundHandler<WebSocketFrame> implements Sink {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    static final String SHUTTING_DOWN_MESSAGE = "server is shutting down; reconnect later";

    private final Requests dispatcher;
    private final GatewayConfig config;
    static final int MAX_READ_PAUSE_MS = 1000;
    static final int REFUSALS_BEFORE_PAUSE = 256;
    static final long QUIET_MS = 20;
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

    // Per-session memory matters at a million connections: the mailbox monitor is this object's own
    // (held for a few field updates, never across blocking work), the mailbox starts small, and the
    // two flags are fields updated through VarHandles rather than separate atomic objects.
    private final IdleSweeper sweeper;
    private final AddressLimit addressLimit;
    // Event loop only: whether addressLimit counted this connection (then it must be uncounted).
    private boolean countedAddress;
    private final ArrayDeque<Queued> mailbox = new ArrayDeque<>(2);
    private final Outbound outbound;
    private boolean draining;
    private volatile Channel channel;
    private volatile Principal principal;
    // The user this connection is registered under in Sessions (0: none); taken exactly once by detach.
    @SuppressWarnings("unused") // through REGISTERED_USER
    private volatile long registeredUser;
    private volatile boolean closing;  // set once (CLOSING): the goodbye began or the peer went away
    private volatile boolean stopping; // the server stops: requests are answered SHUTTING_DOWN
    private volatile long authDeadlineNanos;
    private volatile long lastReadNanos;
    private boolean readSinceQuietCheck; // event loop only, see closeWhenQuiet
    private volatile boolean readPaused;   // a client refused OVERLOADED is not read until the hint passed
    private long readPausedUntil;          // event loop only: System.nanoTime() of the latest pause's end
    private long refusalWindowEnd;         // event loop only: end of the hint the refusals below count in
    private int refusalsInWindow;          // event loop only
    private volatile ChannelHandlerContext context;
    private final SendOrder sendOrder = new SendOrder();

    Connection(Requests dispatcher, GatewayConfig config, IdleSweeper sweeper, AddressLimit addressLimit) {
        this.dispatcher = dispatcher;
        this.config = config;
        this.sweeper = sweeper;
        this.addressLimit = addressLimit;
        this.outbound = new Outbound(config.maxOutboundBytes(), dispatcher.metrics(), this::slowReader);
        long now = System.nanoTime();
        this.lastReadNanos = now;
        this.authDeadlineNanos = now + config.authTimeout().toNanos();
    }

    /** Event loop: bytes were read. */
    void touched(long nanos) {
        lastReadNanos = nanos;
        readSinceQuietCheck = true;
    }

    /** Called by the event loop's sweeper about once a second. */
    void checkTimeouts(long now) {
        if (closing) {
            return;
        }
        if (channel == null) {
            if (now - lastReadNanos > config.idleTimeout().toNanos() && context != null) {
                context.close(); // an idle plain-HTTP keep-alive connection
            }
        } else if (principal == null && (long) REGISTERED_USER.getVolatile(this) == 0 && now > authDeadlineNanos) {
            close(ErrorCode.AUTH_TIMEOUT, "no login or resume within " + config.authTimeout().toMillis() + " ms");
        } else if (now - lastReadNanos > config.idleTimeout().toNanos()) {
            close(ErrorCode.IDLE_TIMEOUT, "nothing received for " + config.idleTimeout().toMillis() + " ms");
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    // ------------------------------------------------------------------ event loop side

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete hc) {
            outbound.open(ctx.channel(), FrameCodec.BINARY_SUBPROTOCOL.equals(hc.selectedSubprotocol()));
            channel = ctx.channel();
            // A WebSocket connection serves no more HTTP.
            ctx.pipeline().remove(HttpHandler.NAME);
            ctx.pipeline().remove(MalformedRequests.NAME);
            if (!countedAddress) {
                // Refused after the handshake rather than at accept, so the client learns why.
                close(ErrorCode.CONNECTIONS_PER_ADDRESS, "more than " + addressLimit.max()
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
        FrameCodec.Decoded decoded;
        if (frame instanceof TextWebSocketFrame text) {
            decoded = FrameCodec.decodeJson(text.text());
        } else if (frame instanceof BinaryWebSocketFrame bin) {
            decoded = FrameCodec.decodeBinary(ByteBufUtil.getBytes(bin.content()));
        } else {
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
                if (f.frame().getBodyCase() == ClientFrame.BodyCase.SEND && idle()) {
                    if (dispatcher.sendNow(this, f.frame())) {
                        return;
                    }
                    charged = true; // sendNow counted it against the rate limits before giving up
                }
                enqueue(ctx, f.frame(), charged);
            }
        }
    }

    /**
     * True when no request of this connection is queued or running, so a send handled right here on
     * the event loop cannot overtake an earlier request.
     */
    private boolean idle() {
        if (principal == null || closing) {
            return false; // a closing connection orders nothing more (its mailbox was dropped too)
        }
        synchronized (mailbox) {
            return !draining && mailbox.isEmpty();
        }
    }

    private void enqueue(ChannelHandlerContext ctx, ClientFrame frame, boolean limitsCharged) {
        boolean start;
        synchronized (mailbox) {
            mailbox.add(new Queued(frame, System.nanoTime(), limitsCharged));
            if (mailbox.size() >= config.maxInflight()) {
                ctx.channel().config().setAutoRead(false); // backpressure: stop reading until drained
            }
            start = !draining;
            draining = true;
        }
        if (start) {
            Thread.ofVirtual().name("tern-conn").start(this::drain);
        }
    }

    /**
     * Counts an OVERLOADED answer. A client that honours the hint stops sending once the first one
     * reaches it; what it pipelined before that is still answered one by one. A connection that
     * draws more than {@link #REFUSALS_BEFORE_PAUSE} refusals within one hint is not honouring it:
     * it is not read for the rest of the hint (at most {@link #MAX_READ_PAUSE_MS}), so TCP holds
     * it back instead of the server spending a decode and a refusal per frame while it is short of
     * CPU. Event loop only.
     */
    private void refused(int retryAfterMs) {
        long now = System.nanoTime();
        long ms = Math.clamp(retryAfterMs, 1, MAX_READ_PAUSE_MS);
        if (refusalWindowEnd == 0 || now - refusalWindowEnd > 0) {
            refusalWindowEnd = now + ms * 1_000_000;
            refusalsInWindow = 0;
        }
        if (++refusalsInWindow > REFUSALS_BEFORE_PAUSE && !readPaused) {
            pauseReading(Math.max(1, (refusalWindowEnd - now) / 1_000_000));
        }
    }

    private void pauseReading(long ms) {
        Channel ch = channel;
        if (ch == null || closing || stopping) {
            return;
        }
        readPausedUntil = System.nanoTime() + ms * 1_000_000;
        readPaused = true;
        dispatcher.metrics().readPaused();
        ch.config().setAutoRead(false);
        ch.eventLoop().schedule(this::resumeReading, ms, TimeUnit.MILLISECONDS);
    }

    private void resumeReading() {
        Channel ch = channel;
        if (ch == null || System.nanoTime() - readPausedUntil < 0) {
            return; // a later pause has its own timer
        }
        readPaused = false;
        synchronized (mailbox) {
            if (mailbox.size() >= config.maxInflight()) {
                return; // the mailbox drain turns reading back on
            }
        }
        ch.config().setAutoRead(true);
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
        InetAddress remote = remoteAddress(ctx.channel());
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
        InetAddress remote = remoteAddress(ctx.channel());
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
        if (cause instanceof CorruptedWebSocketFrameException c && c.closeStatus() != null
                && c.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()
                || cause instanceof TooLongFrameException) {
            terminate(ErrorCode.FRAME_TOO_LARGE, "frame exceeds " + config.maxFrameBytes() + " bytes",
                    WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), false);
        } else if (cause instanceof CorruptedFrameException) {
            terminate(ErrorCode.MALFORMED_FRAME, "WebSocket protocol violation",
                    WebSocketCloseStatus.PROTOCOL_ERROR.code(), false);
        } else {
            log.debug("connection error, closing", cause);
            ctx.close();
        }
    }

    // ------------------------------------------------------------------ request side (virtual thread)

    /** A request in the mailbox and when it arrived (its wait counts against its deadline). */
    private record Queued(ClientFrame frame, long at, boolean limitsCharged) {}

    private void drain() {
        while (true) {
            Queued next;
            synchronized (mailbox) {
                next = mailbox.poll();
                if (next == null) {
                    draining = false;
                    return;
                }
                if (mailbox.size() == config.maxInflight() / 2 && channel != null
                        && !readPaused) {
                    channel.config().setAutoRead(true);
                }
            }
            if (closing) {
                continue; // a goodbye was said: no answer could follow it
            }
            if (stopping) {
                send(error(next.frame().getId(), ErrorCode.SHUTTING_DOWN, SHUTTING_DOWN_MESSAGE));
            } else {
                dispatcher.handle(this, next.frame(), System.nanoTime() - next.at(), next.limitsCharged());
            }
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
        InetAddress a = ctx == null ? null : remoteAddress(ctx.channel());
        return a == null ? "unknown" : a.getHostAddress();
    }

    private static InetAddress remoteAddress(Channel ch) {
        return ch.remoteAddress() instanceof InetSocketAddress s ? s.getAddress() : null;
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
        // An anonymous connection again: it gets a fresh auth timeout to log in as someone else.
        authDeadlineNanos = System.nanoTime() + config.authTimeout().toNanos();
    }

    // ------------------------------------------------------------------ outbound

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
    public void push(ServerFrame frame) {
        send(frame);
    }

    @Override
    public void close(ErrorCode reason, String message) {
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
        ch.config().setAutoRead(true);
    }

    /**
     * Shutdown (any thread): the goodbye waits until the client has been quiet for
     * {@link #QUIET_MS}, so that requests it pipelined before the stop are read and answered
     * (SHUTTING_DOWN) rather than discarded after the goodbye; at {@code deadlineNanos} it goes
     * anyway (a client that never stops sending). Checked on the event loop, so a loop that is slow
     * to read does not pass for a quiet client.
     */
    void closeWhenQuiet(ErrorCode reason, String message, long deadlineNanos) {
        Channel ch = channel;
        if (ch != null) {
            ch.eventLoop().execute(() -> quietCheck(ch, reason, message, deadlineNanos));
        }
    }

    private void quietCheck(Channel ch, ErrorCode reason, String message, long deadlineNanos) {
        if (readSinceQuietCheck && ch.isActive() && System.nanoTime() - deadlineNanos < 0) {
            readSinceQuietCheck = false;
            ch.eventLoop().schedule(() -> quietCheck(ch, reason, message, deadlineNanos), QUIET_MS, TimeUnit.MILLISECONDS);
            return;
        }
        close(reason, message);
    }

    /** True while this is an open WebSocket connection. */
    boolean open() {
        Channel ch = channel;
        return ch != null && ch.isOpen();
    }

    /** True when no request of this connection is queued or being handled. */
    boolean requestsDone() {
        synchronized (mailbox) {
            return !draining;
        }
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
