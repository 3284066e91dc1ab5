package dev.tern.core.media;

import com.google.protobuf.ByteString;
import dev.tern.core.Await;
import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.core.blob.BlobStore;
import dev.tern.core.ledger.ConversationState;
import dev.tern.core.ledger.Conversations;
import dev.tern.core.ledger.Ledger;
import dev.tern.core.ledger.Prepared;
import dev.tern.core.store.BlobRefRecord;
import dev.tern.core.store.DeleteBlobRef;
import dev.tern.core.store.DeleteMedia;
import dev.tern.core.store.DeleteUpload;
import dev.tern.core.store.MediaRecord;
import dev.tern.core.store.MediaUseRecord;
import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.StoreReads;
import dev.tern.core.store.UploadRecord;
import dev.tern.core.store.UsageRecord;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Uploaded media: completing an upload into a media record (type check, blob, thumbnail, reference
 * counts, usage), who may read it, attaching it to messages, and collecting what nobody uses.
 *
 * <p>Reference counts and usage are read-modify-written under the sequencing lock from caches
 * that hold changes not yet durable ({@link #pending}), so two completions of the same bytes in one
 * commit window count twice; {@link #reset} drops the caches after a failed write.
 */
public final class MediaLibrary {
    private final StoreReads store;
    private final Ledger ledger;
    private final BlobStore blobs;
    private final Conversations conversations;
    private final MediaConfig config;
    private final InstantSource clock;
    private final Map<String, BlobRefRecord> refs = new ConcurrentHashMap<>();
    private final Map<Long, Long> usage = new ConcurrentHashMap<>();
    // Held by a completion from its blob put to its durable reference, and by the collector from
    // its check to its blob delete: a completion of the same bytes cannot see the blob exist and
    // then lose it to a collection that decided before the new reference.
    private final java.util.concurrent.locks.ReentrantLock[] stripes = new java.util.concurrent.locks.ReentrantLock[64];

    public MediaLibrary(StoreReads store, Ledger ledger, BlobStore blobs, Conversations conversations,
                        MediaConfig config, InstantSource clock) {
        this.store = store;
        this.ledger = ledger;
        this.blobs = blobs;
        this.conversations = conversations;
        this.config = config;
        this.clock = clock;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new java.util.concurrent.locks.ReentrantLock();
        }
    }

    private java.util.concurrent.locks.ReentrantLock stripe(String sha256) {
        return stripes[Math.floorMod(sha256.hashCode(), stripes.length)];
    }

    /** QUOTA_EXCEEDED when {@code size} more bytes would take the user past the quota. */
    void checkQuota(long userId, long size) {
        if (config.quotaBytes() > 0 && store.usage(userId) + size > config.quotaBytes()) {
            throw new Failure(ErrorCode.QUOTA_EXCEEDED, "the quota is " + config.quotaBytes() + " bytes, "
                    + store.usage(userId) + " are used");
        }
    }

    /**
     * Turns a complete upload into media: the bytes must be of the declared type; they are stored as
     * a blob (once, however often uploaded), an image gets a thumbnail, and the upload record goes.
     */
    MediaRecord complete(UploadRecord u, Path file, String sha256) throws IOException {
        byte[] head = new byte[Sniff.HEAD];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (!Sniff.matches(u.mime(), java.util.Arrays.copyOf(head, n))) {
            discard(u, file);
            throw new Failure(ErrorCode.MEDIA_TYPE_REFUSED, "the bytes are not " + u.mime());
        }
        Thumbnails.Result image = u.mime().startsWith("image/")
                ? Thumbnails.make(file, file.resolveSibling(u.uploadId() + ".thumb.jpg")) : null;
        String thumbSha = "";
        long thumbSize = 0;
        if (image != null && image.thumbnail() != null) {
            thumbSize = Files.size(image.thumbnail());
            thumbSha = hash(image.thumbnail());
            blobs.put(thumbSha, image.thumbnail(), thumbSize);
            Files.deleteIfExists(image.thumbnail());
        }
        MediaRecord m = new MediaRecord(u.uploadId(), u.userId(), sha256, u.size(), u.mime(), u.fileName(),
                image == null ? 0 : image.width(), image == null ? 0 : image.height(), thumbSha, thumbSize,
                clock.millis(), Durations.millis(u.mime(), file));
        java.util.concurrent.locks.ReentrantLock lock = stripe(sha256);
        lock.lock();
        try {
            blobs.adopt(sha256, file, u.size()); // hashed as it arrived: moved into place where it can be
            try {
                commit(u, m);
            } catch (Failure refused) {
                orphaned(u, m); // e.g. the quota was used up meanwhile: the stored bytes must not linger
                throw refused;
            }
        } finally {
            lock.unlock();
        }
        Files.deleteIfExists(file);
        return m;
    }

    private void commit(UploadRecord u, MediaRecord m) {
        Await.result(ledger.submit(new Ledger.Scope.Media(), () -> {
            checkQuota(u.userId(), u.size()); // again under the lock: uploads may have finished meanwhile
            List<Mutation> batch = new ArrayList<>();
            batch.add(m);
            batch.add(new DeleteUpload(u.uploadId()));
            reference(batch, m.sha256(), m.size(), +1);
            if (!m.thumbSha256().isEmpty()) {
                reference(batch, m.thumbSha256(), m.thumbSize(), +1);
            }
            long used = usage.computeIfAbsent(u.userId(), store::usage) + m.size();
            usage.put(u.userId(), used);
            batch.add(new UsageRecord(u.userId(), used));
            return Prepared.of(batch, m);
        }));
    }

    /**
     * After an upload whose bytes were stored was refused: the upload goes, and blobs nothing names
     * get a zero count so the collector deletes them after the grace period.
     */
    private void orphaned(UploadRecord u, MediaRecord m) {
        Await.result(ledger.submit(new Ledger.Scope.Media(), () -> {
            List<Mutation> batch = new ArrayList<>();
            batch.add(new DeleteUpload(u.uploadId()));
            for (String sha : List.of(m.sha256(), m.thumbSha256())) {
                if (!sha.isEmpty() && refs.computeIfAbsent(sha, k -> store.blobRef(k).orElse(null)) == null) {
                    BlobRefRecord zero = new BlobRefRecord(sha, 0, sha.equals(m.sha256()) ? m.size() : m.thumbSize(),
                            clock.millis());
                    refs.put(sha, zero);
                    batch.add(zero);
                }
            }
            return Prepared.of(batch, true);
        }));
    }

    private void discard(UploadRecord u, Path file) throws IOException {
        Await.result(ledger.submit(new Ledger.Scope.Media(), () -> Prepared.<Boolean>of(List.<Mutation>of(new DeleteUpload(u.uploadId())), true)));
        Files.deleteIfExists(file);
    }

    /** Under the lock: moves a blob's reference count by {@code delta}. */
    private void reference(List<Mutation> batch, String sha256, long size, int delta) {
        BlobRefRecord before = refs.computeIfAbsent(sha256,
                k -> store.blobRef(k).orElse(new BlobRefRecord(k, 0, size, clock.millis())));
        long n = Math.max(0, before.refs() + delta);
        BlobRefRecord after = new BlobRefRecord(sha256, n, size, n == 0 ? clock.millis() : 0);
        refs.put(sha256, after);
        batch.add(after);
    }

    /** Closes the blob store; after the gateway stopped. */
    public void closeBlobs() {
        blobs.close();
    }

    /** Drops the caches of counts; under the lock after a failed write. */
    public void reset() {
        refs.clear();
        usage.clear();
    }

    /**
     * The media, when {@code userId} may read it: its uploader, or a member who can read a message
     * it was sent in (from their join on, and not deleted for everyone). MEDIA_NOT_FOUND otherwise,
     * the same as for media that does not exist.
     */
    public MediaFile readable(long userId, String mediaId) {
        return MediaFile.of(readableRecord(userId, mediaId));
    }

    private MediaRecord readableRecord(long userId, String mediaId) {
        MediaRecord m = Uploads.validId(mediaId) ? store.media(mediaId).orElse(null) : null;
        if (m == null) {
            throw notFound();
        }
        if (m.uploaderId() == userId) {
            return m;
        }
        for (MediaUseRecord use : store.mediaUses(mediaId, 1000)) {
            ConversationState state = conversations.get(use.conversationId()).orElse(null);
            MemberRecord member = state == null ? null : state.members().get(userId);
            if (member != null && member.joinedSeq() <= use.seq() && carries(use)) {
                return m;
            }
        }
        throw notFound();
    }

    static Failure notFound() {
        return new Failure(ErrorCode.MEDIA_NOT_FOUND, "no such media");
    }

    /**
     * A download link for {@code userId} that works without a ticket until it expires (for the web
     * client's {@code <img>} tags): the path and query of {@code GET /media/{id}}, signed with
     * HMAC-SHA256 over the media id, user and expiry. Whoever holds it reads as that user.
     */
    public Link link(long userId, String mediaId, boolean thumbnail) {
        readable(userId, mediaId);
        long expires = clock.millis() + config.linkTtl().toMillis();
        String path = "/media/" + mediaId + (thumbnail ? "/thumbnail" : "");
        return new Link(path + "?u=" + userId + "&exp=" + expires + "&sig=" + signature(mediaId, userId, expires),
                expires);
    }

    /** A signed download link and when it stops working. */
    public record Link(String url, long expiresAtMs) {}

    /** The user a signed link reads as; FORBIDDEN when it is forged, altered or expired. */
    public long verify(String mediaId, String user, String expires, String sig) {
        try {
            long u = Long.parseLong(user);
            long exp = Long.parseLong(expires);
            byte[] expected = signature(mediaId, u, exp).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] given = sig == null ? new byte[0] : sig.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            if (!java.security.MessageDigest.isEqual(expected, given)) {
                throw new Failure(ErrorCode.FORBIDDEN, "the link's signature does not match");
            }
            if (exp <= clock.millis()) {
                throw new Failure(ErrorCode.FORBIDDEN, "the link has expired");
            }
            return u;
        } catch (NumberFormatException e) {
            throw new Failure(ErrorCode.FORBIDDEN, "malformed link");
        }
    }

    private String signature(String mediaId, long userId, long expires) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(config.signingKey(), "HmacSHA256"));
            byte[] sig = mac.doFinal((mediaId + "|" + userId + "|" + expires)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bytes {@code [offset, offset + length)} of the media (or of its thumbnail). */
    public InputStream open(MediaFile m, boolean thumbnail, long offset, long length) throws IOException {
        String key = thumbnail ? m.thumbnailSha256() : m.sha256();
        if (key.isEmpty()) {
            throw notFound();
        }
        try {
            return blobs.open(key, offset, length);
        } catch (NoSuchFileException e) {
            throw notFound();
        }
    }

    /**
     * Under the sending lock: the media a message carries, when the sender may use it (their own
     * upload, or media they can read); the use record is added once the message has its seq.
     */
    public Attachment describe(long senderId, String mediaId) {
        MediaRecord m = readableRecord(senderId, mediaId);
        return new Attachment(m.mediaId(), m.mime(), m.size(), m.fileName(), m.width(), m.height(),
                !m.thumbSha256().isEmpty(), m.sha256(), m.durationMs());
    }

    /** The record of where media was sent, for the message (conversationId, seq) carrying {@code media}. */
    public static MediaUseRecord used(ByteString media, long conversationId, long seq) {
        return new MediaUseRecord(Attachment.mediaIdOf(media), conversationId, seq);
    }

    /**
     * Collects what nobody uses: media never sent (or only in messages deleted for everyone) that is
     * older than the grace period, then blobs no media has named for the grace period. Returns the
     * number of blobs deleted.
     */
    public int sweep() throws IOException {
        long horizon = clock.millis() - config.grace().toMillis();
        String after = "";
        while (true) {
            List<MediaRecord> page = store.mediaPage(after, 500);
            for (MediaRecord m : page) {
                if (m.createdAtMs() < horizon && unused(m)) {
                    forget(m);
                }
            }
            if (page.size() < 500) {
                break;
            }
            after = page.getLast().mediaId();
        }
        int deleted = 0;
        for (BlobRefRecord b : store.unreferencedBlobs(horizon, 10_000)) {
            java.util.concurrent.locks.ReentrantLock lock = stripe(b.sha256());
            lock.lock();
            try {
                Boolean gone = Await.result(ledger.submit(new Ledger.Scope.Media(), () -> {
                    BlobRefRecord now = refs.computeIfAbsent(b.sha256(), k -> store.blobRef(k).orElse(b));
                    if (now.refs() > 0) {
                        return Prepared.of(List.of(), false); // named again meanwhile
                    }
                    refs.remove(b.sha256());
                    return Prepared.of(List.<Mutation>of(new DeleteBlobRef(b.sha256())), true);
                }));
                if (gone) {
                    blobs.delete(b.sha256()); // after the record: a crash here leaves an orphan, not a dangling ref
                    deleted++;
                }
            } finally {
                lock.unlock();
            }
        }
        return deleted;
    }

    private boolean unused(MediaRecord m) {
        for (MediaUseRecord use : store.mediaUses(m.mediaId(), 1000)) {
            if (carries(use)) {
                return false;
            }
        }
        return true;
    }

    /** True while the message of {@code use} exists and was not deleted for everyone: it still carries the media. */
    private boolean carries(MediaUseRecord use) {
        return store.message(use.conversationId(), use.seq()).map(msg -> !msg.extras().recalled()).orElse(false);
    }

    private void forget(MediaRecord m) {
        Await.result(ledger.submit(new Ledger.Scope.Media(), () -> {
            List<Mutation> batch = new ArrayList<>();
            batch.add(new DeleteMedia(m.mediaId()));
            reference(batch, m.sha256(), m.size(), -1);
            if (!m.thumbSha256().isEmpty()) {
                reference(batch, m.thumbSha256(), m.thumbSize(), -1);
            }
            long used = Math.max(0, usage.computeIfAbsent(m.uploaderId(), store::usage) - m.size());
            usage.put(m.uploaderId(), used);
            batch.add(new UsageRecord(m.uploaderId(), used));
            return Prepared.of(batch, true);
        }));
    }

    private static String hash(Path file) throws IOException {
        java.security.MessageDigest d = Uploads.sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        }
        return java.util.HexFormat.of().formatHex(d.digest());
    }
}
