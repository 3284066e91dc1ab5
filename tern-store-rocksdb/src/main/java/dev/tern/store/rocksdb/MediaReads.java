package dev.tern.store.rocksdb;

import dev.tern.core.store.BlobRefRecord;
import dev.tern.core.store.MediaRecord;
import dev.tern.core.store.MediaUseRecord;
import dev.tern.core.store.UploadRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The media families' reads for {@link RocksStore}: uploads in progress, media records, their
 * uses by messages, blob reference counts and per-user usage (layout in the package documentation).
 * Every read runs inside {@link RocksAccess#guarded}.
 */
final class MediaReads {

    private final RocksAccess db;

    MediaReads(RocksAccess db) {
        this.db = db;
    }

    Optional<UploadRecord> upload(String uploadId) {
        return db.guarded("upload", () -> Optional.ofNullable(db.get(Family.UPLOADS, Keys.utf8(uploadId)))
                .map(v -> MediaCodec.upload(uploadId, v)));
    }

    List<UploadRecord> uploads(String afterId, int limit) {
        byte[] after = Keys.utf8(afterId);
        byte[] lower = java.util.Arrays.copyOf(after, after.length + 1); // the smallest key above afterId
        return db.guarded("uploads", () -> {
            RocksAccess.checkLimit(limit);
            return db.forward(Family.UPLOADS, lower, null, limit, (k, v) -> {
                String id = new String(k, java.nio.charset.StandardCharsets.UTF_8);
                return MediaCodec.upload(id, v);
            });
        });
    }

    Optional<MediaRecord> media(String mediaId) {
        return db.guarded("media", () -> Optional.ofNullable(db.get(Family.MEDIA, Keys.utf8(mediaId)))
                .map(v -> MediaCodec.media(mediaId, v)));
    }

    List<MediaRecord> mediaPage(String afterId, int limit) {
        byte[] after = Keys.utf8(afterId);
        byte[] lower = java.util.Arrays.copyOf(after, after.length + 1);
        return db.guarded("mediaPage", () -> {
            RocksAccess.checkLimit(limit);
            return db.forward(Family.MEDIA, lower, null, limit,
                    (k, v) -> MediaCodec.media(new String(k, java.nio.charset.StandardCharsets.UTF_8), v));
        });
    }

    List<MediaUseRecord> mediaUses(String mediaId, int limit) {
        byte[] id = Keys.utf8(mediaId);
        byte[] prefix = java.util.Arrays.copyOf(id, id.length + 1);
        return db.guarded("mediaUses", () -> {
            RocksAccess.checkLimit(limit);
            return db.forward(Family.MEDIA_USES, prefix, Keys.successor(prefix), limit,
                    (k, v) -> new MediaUseRecord(mediaId, Keys.longAt(k, prefix.length),
                            Keys.longAt(k, prefix.length + Keys.LONG)));
        });
    }

    Optional<BlobRefRecord> blobRef(String sha256) {
        return db.guarded("blobRef", () -> Optional.ofNullable(db.get(Family.BLOB_REFS, Keys.utf8(sha256)))
                .map(v -> MediaCodec.blobRef(sha256, v)));
    }

    List<BlobRefRecord> unreferencedBlobs(long beforeMs, int limit) {
        return db.guarded("unreferencedBlobs", () -> {
            RocksAccess.checkLimit(limit);
            List<BlobRefRecord> out = new ArrayList<>();
            // A walk of the reference counts in pages: a sweep runs rarely and stops at the limit.
            byte[] from = new byte[0];
            while (out.size() < limit) {
                List<BlobRefRecord> page = db.forward(Family.BLOB_REFS, from, null, 1024,
                        (k, v) -> MediaCodec.blobRef(new String(k, java.nio.charset.StandardCharsets.UTF_8), v));
                for (BlobRefRecord b : page) {
                    if (b.refs() <= 0 && b.unreferencedSinceMs() < beforeMs && out.size() < limit) {
                        out.add(b);
                    }
                }
                if (page.size() < 1024) {
                    break;
                }
                byte[] last = Keys.utf8(page.getLast().sha256());
                from = java.util.Arrays.copyOf(last, last.length + 1);
            }
            return out;
        });
    }

    long usage(long userId) {
        return db.guarded("usage", () -> {
            byte[] v = db.get(Family.USAGE, Keys.id(userId));
            return v == null ? 0 : ValueCodec.number(Family.USAGE.cfName(), v);
        });
    }
}
