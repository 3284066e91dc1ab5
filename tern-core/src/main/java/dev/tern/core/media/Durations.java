package dev.tern.core.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The playing time of audio and video files whose containers say it in a header: WAV (data size
 * over byte rate) and the ISO base media family, MP4/M4A/MOV (the movie header's duration over its
 * time scale). Only headers are read, seeking over the media data; 0 when unknown.
 */
final class Durations {
    private Durations() {
    }

    static long millis(String mime, Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return switch (mime) {
                case "audio/wav", "audio/x-wav" -> wav(ch);
                case "video/mp4", "audio/mp4", "video/quicktime", "audio/x-m4a" -> isoBmff(ch, 0, ch.size(), 0);
                default -> 0;
            };
        } catch (IOException | RuntimeException e) {
            return 0; // a header we cannot read: no duration
        }
    }

    private static long wav(FileChannel ch) throws IOException {
        long byteRate = 0;
        long pos = 12; // after "RIFF" size "WAVE"
        while (pos + 8 <= ch.size()) {
            ByteBuffer h = read(ch, pos, 8, ByteOrder.LITTLE_ENDIAN);
            String id = ascii(h, 0);
            long size = Integer.toUnsignedLong(h.getInt(4));
            if (id.equals("fmt ") && size >= 16) {
                byteRate = Integer.toUnsignedLong(read(ch, pos + 8, 16, ByteOrder.LITTLE_ENDIAN).getInt(8));
            } else if (id.equals("data")) {
                return byteRate == 0 ? 0 : size * 1000 / byteRate;
            }
            pos += 8 + size + (size & 1);
        }
        return 0;
    }

    /** Walks boxes in [from, to) looking for moov/mvhd; {@code depth} bounds the recursion. */
    private static long isoBmff(FileChannel ch, long from, long to, int depth) throws IOException {
        long pos = from;
        while (pos + 8 <= to && depth < 4) {
            ByteBuffer h = read(ch, pos, 8, ByteOrder.BIG_ENDIAN);
            long size = Integer.toUnsignedLong(h.getInt(0));
            String type = ascii(h, 4);
            int header = 8;
            if (size == 1) { // a 64-bit size follows
                size = read(ch, pos + 8, 8, ByteOrder.BIG_ENDIAN).getLong(0);
                header = 16;
            } else if (size == 0) {
                size = to - pos;
            }
            if (size < header) {
                return 0;
            }
            if (type.equals("moov")) {
                return isoBmff(ch, pos + header, pos + size, depth + 1);
            }
            if (type.equals("mvhd")) {
                ByteBuffer b = read(ch, pos + header, 32, ByteOrder.BIG_ENDIAN);
                boolean v1 = b.get(0) == 1;
                long scale = Integer.toUnsignedLong(b.getInt(v1 ? 20 : 12));
                long duration = v1 ? b.getLong(24) : Integer.toUnsignedLong(b.getInt(16));
                return scale == 0 ? 0 : duration * 1000 / scale;
            }
            pos += size;
        }
        return 0;
    }

    private static ByteBuffer read(FileChannel ch, long pos, int n, ByteOrder order) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(order);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                throw new IOException("short file");
            }
        }
        return b.flip();
    }

    private static String ascii(ByteBuffer b, int at) {
        byte[] id = new byte[4];
        b.get(at, id);
        return new String(id, StandardCharsets.US_ASCII);
    }
}
