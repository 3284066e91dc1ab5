package dev.tern.server;

import dev.tern.protocol.FrameCodec;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A bare WebSocket speaking JSON text frames, for feeding the server bad input. */
final class RawSocket implements WebSocket.Listener, AutoCloseable {
    final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    final WebSocket ws;

    private RawSocket(URI uri, String subprotocol) throws Exception {
        this.ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols(subprotocol)
                .buildAsync(uri, this).get(10, TimeUnit.SECONDS);
    }

    static RawSocket json(URI uri) throws Exception {
        return new RawSocket(uri, FrameCodec.JSON_SUBPROTOCOL);
    }

    static RawSocket binary(URI uri) throws Exception {
        return new RawSocket(uri, FrameCodec.BINARY_SUBPROTOCOL);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    void send(String text) throws Exception {
        ws.sendText(text, true).get(10, TimeUnit.SECONDS);
    }

    /** The next frame as JSON text; binary frames are decoded and printed as JSON too. */
    String next() throws InterruptedException {
        String f = frames.poll(10, TimeUnit.SECONDS);
        if (f == null) {
            throw new AssertionError("no frame within 10 s");
        }
        return f;
    }

    @Override
    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            frames.add(partial.toString());
            partial.setLength(0);
        }
        w.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
        try {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            frames.add(FrameCodec.toJson(dev.tern.protocol.v1.ServerFrame.parseFrom(b)));
        } catch (Exception e) {
            frames.add("<undecodable binary frame>");
        }
        w.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket w, Throwable error) {
        closeCode.complete(-1);
    }

    @Override
    public void close() {
        ws.abort();
    }
}
