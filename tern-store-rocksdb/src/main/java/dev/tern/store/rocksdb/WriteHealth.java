package dev.tern.store.rocksdb;

import org.rocksdb.AbstractEventListener;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the store takes writes, and the way back when it does not.
 *
 * <p>When a WAL append, a memtable flush or a MANIFEST update fails, RocksDB records a background
 * error and, for I/O errors, refuses every later write with it while reads go on. For a full disk
 * (ENOSPC) it recovers by itself: its SstFileManager looks at the free space when the error happens
 * and then every 5 s, and once at least the largest write buffer is free (its reserve, so that a disk
 * at the edge does not flip between full and not) it flushes the memtables, starts a new WAL and
 * takes writes again. RocksJava has no {@code DB::Resume()}; that automatic recovery is the way back
 * without a restart, and this class makes it visible: a warning when writes stop, with the free space
 * and what is needed, and a line when they resume. RocksDB does not recover from other I/O errors by
 * itself (only from ones a file system marks retryable, which the POSIX one does not): writes stay
 * refused until a restart.
 *
 * <p>Only {@code ON_ERROR_RECOVERY_COMPLETED} is listened to. RocksJava 10.10's
 * {@code BackgroundErrorReason} lacks RocksDB's newer reasons (a flush without WAL is reason 5), so
 * its {@code onBackgroundError} and {@code onErrorRecoveryBegin} proxies throw for them, and a throwing
 * {@code onErrorRecoveryBegin} switches the automatic recovery off: with those callbacks enabled, writes
 * stayed refused with the disk empty again.
 */
final class WriteHealth extends AbstractEventListener {
    private static final Logger log = LoggerFactory.getLogger(WriteHealth.class);

    private final Path path;
    private final long reserveBytes;
    /** System.nanoTime() when writes stopped; 0 while they work. */
    private final AtomicLong stoppedAt = new AtomicLong();

    WriteHealth(Path path, long reserveBytes) {
        super(EnabledEventCallback.ON_ERROR_RECOVERY_COMPLETED);
        this.path = path;
        this.reserveBytes = reserveBytes;
    }

    /**
     * A write failed. After an I/O error RocksDB refuses writes until it recovers: returns what to tell
     * the caller about that. Null for other failures, which stop nothing.
     */
    String failed(RocksDBException e) {
        Status status = e.getStatus();
        if (status == null || status.getCode() != Status.Code.IOError) {
            return null;
        }
        boolean noSpace = status.getSubCode() == Status.SubCode.NoSpace;
        String what = noSpace
                ? String.format("disk full at %s (%s free); writes resume by themselves within ~5 s once %s are"
                        + " free, reads go on", path, mib(freeBytes()), mib(reserveBytes))
                : "I/O error at " + path + "; RocksDB does not recover from it by itself: writes stay refused"
                        + " until a restart, reads go on";
        if (stoppedAt.compareAndSet(0, Math.max(1, System.nanoTime()))) {
            log.warn("store writes stopped: {}: {}", what, e.getMessage());
        }
        return what;
    }

    /** A write succeeded. */
    void succeeded() {
        if (stoppedAt.get() != 0) {
            resumed("a write succeeded");
        }
    }

    @Override
    public void onErrorRecoveryCompleted(Status oldBackgroundError) {
        resumed("RocksDB recovered from " + oldBackgroundError.getCodeString());
    }

    /** True while writes are refused. */
    boolean stopped() {
        return stoppedAt.get() != 0;
    }

    private void resumed(String how) {
        long since = stoppedAt.getAndSet(0);
        if (since != 0) {
            log.info("store writes resumed after {} ms ({}; {} free at {})",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since), how, mib(freeBytes()), path);
        }
    }

    private long freeBytes() {
        try {
            return Files.getFileStore(path).getUsableSpace();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "unknown" : String.format("%.1f MiB", bytes / (double) (1 << 20));
    }
}
