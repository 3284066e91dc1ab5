package dev.tern.server;

import dev.tern.protocol.FrameCodec;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain TCP socket (RFC 6455 by hand, JSON subprotocol) that reads only when
 * a test says so. It sees exactly what the server put on the wire: the goodbye frame, the close
 * frame and its code, and whether the TCP connection ended cleanly. A socket that is never read lets
 * the server's frames pile up in the kernel, as with a client that stopped reading.
 */
final class WireSocket implements AutoCloseable {
    static final int TEXT = 1;
    static final int CLOSE = 8;

    /** One frame from the server (never masked); continuation frames are joined. */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** A close frame's status code, or -1 for a close frame without one. */
        int closeCode() {
            if (opcode != CLOSE) {
                throw new IllegalStateException("not a close frame");
            }
            return payload.length < 2 ? -1 : (payload[0] & 0xff) << 8 | payload[1] & 0xff;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private WireSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects and upgrades; {@code receiveBuffer} > 0 sets a small socket receive buffer first. */
    static WireSocket open(int port, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer); // before connect: it sets the advertised window
        }
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(10_000);
        WireSocket w = new WireSocket(s);
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        w.out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: " + FrameCodec.JSON_SUBPROTOCOL + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        w.out.flush();
        String head = w.readHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            s.close();
            throw new IOException("no upgrade: " + head);
        }
        return w;
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the handshake");
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** Sends one masked text frame. */
    void send(String text) throws IOException {
        out.write(frame(text.getBytes(StandardCharsets.UTF_8)));
        out.flush();
    }

    /** Many text frames in one write, as a client pipelining requests does. */
    void sendAll(List<String> texts) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (String t : texts) {
            all.writeBytes(frame(t.getBytes(StandardCharsets.UTF_8)));
        }
        out.write(all.toByteArray());
        out.flush();
    }

    private static byte[] frame(byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
        f.write(0x80 | TEXT);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            f.write(0x80 | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length & 0xff);
        } else {
            f.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) payload.length >>> (8 * i)) & 0xff);
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        f.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i & 3]);
        }
        return f.toByteArray();
    }

    /** The next frame, or null when the server ended the TCP connection (EOF) before one began. */
    Frame read() throws IOException {
        int opcode = -1;
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        while (true) {
            int b0 = in.read();
            if (b0 < 0) {
                if (opcode >= 0) {
                    throw new EOFException("connection ended inside a fragmented message");
                }
                return null;
            }
            int b1 = readByte();
            long len = b1 & 0x7f;
            if (len == 126) {
                len = (long) readByte() << 8 | readByte();
            } else if (len == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) {
                    len = len << 8 | readByte();
                }
            }
            if ((b1 & 0x80) != 0) {
                throw new IOException("the server masked a frame");
            }
            byte[] data = in.readNBytes((int) len);
            if (data.length < len) {
                throw new EOFException("connection ended inside a frame");
            }
            if (opcode < 0 || (b0 & 0x0f) != 0) {
                opcode = b0 & 0x0f;
            }
            payload.writeBytes(data);
            if ((b0 & 0x80) != 0) {
                return new Frame(opcode, payload.toByteArray());
            }
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection ended inside a frame header");
        }
        return b;
    }

    /** Reads frames until the server ends the connection; throws if it does not within the socket timeout. */
    List<Frame> readToEnd() throws IOException {
        List<Frame> frames = new ArrayList<>();
        for (Frame f; (f = read()) != null; ) {
            frames.add(f);
        }
        return frames;
    }

    /** True when the server ended the connection within {@code millis} with nothing more to read. */
    boolean endsWithin(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            socket.setSoTimeout(10_000);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
