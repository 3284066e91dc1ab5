package dev.tern.core.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * The bytes {@code [offset, offset + length)} of a file as a stream, read straight from a
 * {@link FileChannel} at its position: nothing is buffered beyond the caller's array, and bytes past
 * the range are never returned even if the file is longer. Closing it closes the channel.
 */
public final class FileRangeInputStream extends InputStream {
    private final FileChannel channel;
    private long remaining;

    private FileRangeInputStream(FileChannel channel, long remaining) {
        this.channel = channel;
        this.remaining = remaining;
    }

    /**
     * Opens {@code file} and positions it at {@code offset}; {@code length} -1 reads to the end. A range that
     * starts at or past the end is empty, and one that runs past the end stops at the end.
     */
    public static FileRangeInputStream open(Path file, long offset, long length) throws IOException {
        if (offset < 0 || length < -1) {
            throw new IllegalArgumentException("bad range: offset " + offset + ", length " + length);
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = channel.size();
            long start = Math.min(offset, size);
            long available = size - start;
            channel.position(start);
            return new FileRangeInputStream(channel, length == -1 ? available : Math.min(length, available));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (remaining <= 0) {
            return -1;
        }
        int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, remaining)));
        if (n < 0) {
            // The file shrank under us; blobs never do, so this is someone else's doing.
            throw new IOException("file ended " + remaining + " bytes before the end of the range");
        }
        remaining -= n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = Math.max(0, Math.min(n, remaining));
        channel.position(channel.position() + skipped);
        remaining -= skipped;
        return skipped;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, remaining);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
