package dev.tern.core.media;

import dev.tern.core.Await;
import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.core.Principal;
import dev.tern.core.ledger.Ledger;
import dev.tern.core.ledger.Prepared;
import dev.tern.core.limits.KeyedLimiter;
import dev.tern.core.store.DeleteUpload;
import dev.tern.core.store.MediaRecord;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.StoreReads;
import dev.tern.core.store.UploadRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Resumable uploads (the tus protocol's model: create with a declared length, append at the
 * current offset, ask for the offset after a broken connection). The bytes go to a staging file per
 * upload, hashed while they stream in; the offset is the file's length, forced to disk at the end of
 * every append, so what a HEAD reports survives a crash. The upload's id becomes the media id when
 * it completes ({@link MediaLibrary#complete}).
 *
 * <p>One append at a time per upload (a lock per upload): a second connection appending to the same
 * upload waits, then finds the offset moved and gets UPLOAD_OFFSET_MISMATCH.
 */
public final class Uploads {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StoreReads store;
    private final Ledger ledger;
    private final MediaLibrary library;
    private final MediaConfig config;
    private final InstantSource clock;
    private final KeyedLimiter<Long> rate;
    // Running SHA-256 of each upload's staged bytes; rebuilt from the file after a restart.
    private final Map<String, Hashing> hashing = new ConcurrentHashMap<>();

    private static final class Hashing {
        final ReentrantLock lock = new ReentrantLock();
        MessageDigest digest;
        long hashed;
    }

    public Uploads(StoreReads store, Ledger ledger, MediaLibrary library, MediaConfig config, InstantSource clock) {
        this.store = store;
        this.ledger = ledger;
        this.library = library;
        this.config = config;
        this.clock = clock;
        this.rate = new KeyedLimiter<>(config.uploadRate(), ErrorCode.UPLOAD_RATE, "uploads started too fast");
        try {
            Files.createDirectories(config.staging());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the upload staging directory " + config.staging(), e);
        }
    }

    /** The largest upload accepted, in bytes. */
    public long maxBytes() {
        return config.maxUploadBytes();
    }

    /** A new upload of {@code size} bytes of type {@code mime}; checks size, type, quota and rate. */
    public Upload create(Principal caller, long size, String mime, String fileName) {
        Principal.require(caller);
        if (size < 0) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "Upload-Length must be given and not negative");
        }
        if (size > config.maxUploadBytes()) {
            throw new Failure(ErrorCode.MEDIA_TOO_LARGE, "the limit is " + config.maxUploadBytes() + " bytes");
        }
        String type = mime == null ? "" : mime.strip().toLowerCase(java.util.Locale.ROOT);
        if (type.isEmpty() || type.length() > 128 || !type.contains("/") || !config.allows(type)) {
            throw new Failure(ErrorCode.MEDIA_TYPE_REFUSED, "type '" + type + "' is not accepted");
        }
        String name = fileName == null ? "" : fileName;
        if (name.length() > 255) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "file name must be at most 255 characters");
        }
        library.checkQuota(caller.userId(), size);
        rate.acquire(caller.userId());
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        long now = clock.millis();
        UploadRecord u = new UploadRecord(HexFormat.of().formatHex(id), caller.userId(), size, type, name, now,
                now + config.uploadTtl().toMillis());
        try {
            Files.createFile(staged(u.uploadId()));
        } catch (IOException e) {
            throw new Failure(ErrorCode.STORAGE_UNAVAILABLE, "cannot stage the upload");
        }
        Await.result(ledger.submit(new Ledger.Scope.Media(), () -> Prepared.of(List.of(u), u)));
        return new Upload(u.uploadId(), u.size(), 0, u.expiresAtMs());
    }

    /** The caller's upload and its offset, or MEDIA_NOT_FOUND (someone else's looks the same as a missing one). */
    public Upload get(Principal caller, String uploadId) {
        UploadRecord u = record(caller, uploadId);
        return new Upload(u.uploadId(), u.size(), offset(u), u.expiresAtMs());
    }

    private UploadRecord record(Principal caller, String uploadId) {
        Principal.require(caller);
        UploadRecord u = validId(uploadId) ? store.upload(uploadId).orElse(null) : null;
        if (u == null || u.userId() != caller.userId() || u.expiresAtMs() <= clock.millis()) {
            throw new Failure(ErrorCode.MEDIA_NOT_FOUND, "no such upload");
        }
        return u;
    }

    /** Bytes received so far. */
    private long offset(UploadRecord u) {
        try {
            return Files.size(staged(u.uploadId()));
        } catch (IOException e) {
            throw new Failure(ErrorCode.MEDIA_NOT_FOUND, "no such upload");
        }
    }

    /**
     * Appends the bytes of {@code body} to the caller's upload at {@code offset} (which must be where
     * the upload stands) and returns the new offset; when the upload is then complete, the media
     * record is made and its id (the upload id) is the upload's. The stream is read to its end or
     * until the declared size.
     */
    public Appended append(Principal caller, String uploadId, long offset, InputStream body) {
        UploadRecord u = record(caller, uploadId);
        Hashing h = hashing.computeIfAbsent(u.uploadId(), k -> new Hashing());
        h.lock.lock();
        try {
            Path file = staged(u.uploadId());
            long at = offset(u);
            if (offset != at) {
                throw new Failure(ErrorCode.UPLOAD_OFFSET_MISMATCH, "the upload is at " + at);
            }
            catchUp(h, file, at);
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                byte[] buf = new byte[64 * 1024];
                long left = u.size() - at;
                try {
                    while (left > 0) {
                        int n = body.read(buf, 0, (int) Math.min(buf.length, left));
                        if (n < 0) {
                            break;
                        }
                        out.write(ByteBuffer.wrap(buf, 0, n));
                        h.digest.update(buf, 0, n);
                        h.hashed += n;
                        left -= n;
                    }
                } catch (IOException brokenConnection) {
                    // Keep what arrived: the client resumes from the offset the next HEAD reports.
                }
                out.force(false);
                if (body.read() >= 0) {
                    throw new Failure(ErrorCode.INVALID_ARGUMENT, "more bytes than the declared Upload-Length");
                }
            }
            long now = offset(u);
            Upload after = new Upload(u.uploadId(), u.size(), now, u.expiresAtMs());
            if (now < u.size()) {
                return new Appended(after, "");
            }
            String sha256 = HexFormat.of().formatHex(h.digest.digest());
            hashing.remove(u.uploadId());
            MediaRecord m = library.complete(u, file, sha256);
            return new Appended(after, m.mediaId());
        } catch (IOException e) {
            throw new Failure(ErrorCode.STORAGE_UNAVAILABLE, "cannot write the upload: " + e.getMessage());
        } finally {
            h.lock.unlock();
        }
    }

    /**
     * What an append achieved: the upload at its new offset and, when that completed it, the id of
     * the media it became (empty until then).
     */
    public record Appended(Upload upload, String mediaId) {
        public boolean complete() {
            return !mediaId.isEmpty();
        }
    }

    /** Gives up the caller's upload: its record and staged bytes go. */
    public void cancel(Principal caller, String uploadId) {
        drop(record(caller, uploadId));
    }

    private void drop(UploadRecord u) {
        hashing.remove(u.uploadId());
        Await.result(ledger.submit(new Ledger.Scope.Media(), () -> Prepared.<Boolean>of(List.<Mutation>of(new DeleteUpload(u.uploadId())), true)));
        try {
            Files.deleteIfExists(staged(u.uploadId()));
        } catch (IOException e) {
            // the sweeper removes staged files without a record
        }
    }

    /** Removes uploads past their expiry and staged files without an upload; returns how many went. */
    public int sweep() {
        int removed = 0;
        String after = "";
        long now = clock.millis();
        while (true) {
            List<UploadRecord> page = store.uploads(after, 500);
            for (UploadRecord u : page) {
                if (u.expiresAtMs() <= now) {
                    drop(u);
                    removed++;
                }
            }
            if (page.size() < 500) {
                return removed;
            }
            after = page.getLast().uploadId();
        }
    }

    /** After a restart (or a first append), hashes what is already staged, streaming. */
    private static void catchUp(Hashing h, Path file, long at) throws IOException {
        if (h.digest != null && h.hashed == at) {
            return;
        }
        h.digest = sha256();
        h.hashed = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            long left = at;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                h.digest.update(buf, 0, n);
                h.hashed += n;
                left -= n;
            }
        }
    }

    Path staged(String uploadId) {
        return config.staging().resolve(uploadId);
    }

    static boolean validId(String id) {
        return id != null && id.length() == 32 && id.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f');
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
