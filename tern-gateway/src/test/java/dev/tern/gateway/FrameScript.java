package dev.tern.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The input format of {@link WebSocketFuzzTest}: byte 0 picks the subprotocol (bit 0: 1 = binary
 * protobuf, 0 = JSON); then records of one flag byte, a two-byte big-endian length and that many
 * payload bytes (fewer if the input ends). Each record becomes one read by the server. Flag bits:
 * 0-3 opcode, 7 FIN, 6 RSV1 (not negotiated: a violation), 5 unmasked (a violation from a client),
 * 4 raw (the payload goes out as it is, without a frame header, to desynchronise the framing).
 * Frames are masked with a fixed key, so seeds can be written with {@link #encode}.
 */
record FrameScript(boolean binary, List<byte[]> chunks) {
    static final int FIN = 0x80;
    static final int RSV1 = 0x40;
    static final int UNMASKED = 0x20;
    static final int RAW = 0x10;
    private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

    static FrameScript parse(byte[] in) {
        boolean binary = in.length > 0 && (in[0] & 1) == 1;
        List<byte[]> chunks = new ArrayList<>();
        int i = 1;
        while (i + 3 <= in.length) {
            int flags = in[i] & 0xff;
            int len = ((in[i + 1] & 0xff) << 8) | (in[i + 2] & 0xff);
            int from = i + 3;
            int to = Math.min(in.length, from + len);
            byte[] payload = Arrays.copyOfRange(in, from, to);
            chunks.add((flags & RAW) != 0 ? payload : frame(flags, payload));
            i = to;
        }
        return new FrameScript(binary, chunks);
    }

    /** A client's WebSocket frame (RFC 6455 section 5.2). */
    static byte[] frame(int flags, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
        out.write((flags & (FIN | RSV1)) | (flags & 0x0f));
        boolean masked = (flags & UNMASKED) == 0;
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(maskBit | payload.length);
        } else {
            out.write(maskBit | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xff);
        }
        if (masked) {
            out.writeBytes(MASK);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(masked ? payload[i] ^ MASK[i & 3] : payload[i]);
        }
        return out.toByteArray();
    }

    /** The upgrade request every script starts with. */
    static byte[] upgradeRequest(String subprotocol) {
        return ("GET /ws HTTP/1.1\r\nHost: tern.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: " + subprotocol + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Builds an input in this format: the subprotocol byte, then one record per (flags, payload) pair. */
    static byte[] encode(boolean binary, Object... flagsAndPayloads) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(binary ? 1 : 0);
        for (int i = 0; i < flagsAndPayloads.length; i += 2) {
            byte[] p = (byte[]) flagsAndPayloads[i + 1];
            out.write((Integer) flagsAndPayloads[i]);
            out.write(p.length >>> 8);
            out.write(p.length & 0xff);
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
