package dev.tern.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.tern.protocol.FrameCodec;
import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.ServerFrame;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One WebSocket connection: sends frames one at a time (the JDK allows one outstanding send),
 * matches responses to requests by id, hands pushes and the close to the owner.
 */
final class Wire implements WebSocket.Listener {
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private final boolean binary;
    private final Consumer<ServerFrame> pushes;
    private final Runnable onClose;
    private final Map<String, CompletableFuture<ServerFrame>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Object sendLock = new Object();
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    private volatile WebSocket socket;
    private volatile boolean closed;

    private Wire(boolean binary, Consumer<ServerFrame> pushes, Runnable onClose) {
        this.binary = binary;
        this.pushes = pushes;
        this.onClose = onClose;
    }

    static CompletableFuture<Wire> open(HttpClient http, ClientOptions o, Consumer<ServerFrame> pushes,
                                        Runnable onClose) {
        Wire w = new Wire(o.binary(), pushes, onClose);
        return http.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .subprotocols(o.binary() ? FrameCodec.BINARY_SUBPROTOCOL : FrameCodec.JSON_SUBPROTOCOL)
                .buildAsync(o.uri(), w)
                .thenApply(ws -> {
                    w.socket = ws;
                    return w;
                });
    }

    /** Sends a request (its id is assigned here) and returns its response frame. */
    CompletableFuture<ServerFrame> request(ClientFrame.Builder frame, Duration timeout) {
        String id = Long.toString(ids.incrementAndGet());
        CompletableFuture<ServerFrame> response = new CompletableFuture<>();
        if (closed) {
            response.completeExceptionally(new java.io.IOException("connection closed"));
            return response;
        }
        pending.put(id, response);
        response.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> pending.remove(id));
        ClientFrame f = frame.setId(id).build();
        transmit(f).exceptionally(e -> {
            response.completeExceptionally(e);
            return null;
        });
        return response;
    }

    /** Sends raw text, for tests of the server's handling of bad input. */
    CompletableFuture<?> sendRawText(String raw) {
        return enqueue(ws -> ws.sendText(raw, true));
    }

    private CompletableFuture<?> transmit(ClientFrame f) {
        if (binary) {
            byte[] b = f.toByteArray();
            return enqueue(ws -> ws.sendBinary(ByteBuffer.wrap(b), true));
        }
        String json = FrameCodec.toJson(f);
        return enqueue(ws -> ws.sendText(json, true));
    }

    private CompletableFuture<?> enqueue(java.util.function.Function<WebSocket, CompletableFuture<WebSocket>> op) {
        synchronized (sendLock) {
            CompletableFuture<?> next = tail.handle((x, e) -> null).thenCompose(x -> op.apply(socket));
            tail = next;
            return next;
        }
    }

    void close() {
        WebSocket ws = socket;
        if (ws != null && !closed) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(2, TimeUnit.SECONDS)
                    .whenComplete((x, e) -> ws.abort());
        }
    }

    /** Drops the TCP connection without a close handshake, as a network failure would. */
    void abort() {
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        closedNow();
    }

    boolean isOpen() {
        return !closed;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            ServerFrame.Builder b = ServerFrame.newBuilder();
            try {
                PARSER.merge(text.toString(), b);
                dispatch(b.build());
            } catch (InvalidProtocolBufferException e) {
                ws.abort();
            }
            text.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        bytes.writeBytes(chunk);
        if (last) {
            try {
                dispatch(ServerFrame.parseFrom(bytes.toByteArray()));
            } catch (InvalidProtocolBufferException e) {
                ws.abort();
            }
            bytes.reset();
        }
        ws.request(1);
        return null;
    }

    private void dispatch(ServerFrame f) {
        if (!f.getId().isEmpty()) {
            CompletableFuture<ServerFrame> waiting = pending.remove(f.getId());
            if (waiting != null) {
                waiting.complete(f);
                return;
            }
        }
        pushes.accept(f);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closedNow();
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closedNow();
    }

    private void closedNow() {
        if (closed) {
            return;
        }
        closed = true;
        java.io.IOException gone = new java.io.IOException("connection closed");
        pending.values().forEach(f -> f.completeExceptionally(gone));
        pending.clear();
        onClose.run();
    }
}
