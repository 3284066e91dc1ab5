package dev.tern.store.rocksdb;

import dev.tern.core.store.BlobRefRecord;
import dev.tern.core.store.MediaRecord;
import dev.tern.core.store.UploadRecord;

/** Value encodings of the media families (format version 1; layout in package-info). */
final class MediaCodec {
    private MediaCodec() {
    }

    // ---- uploads: utf8 uploadId -> userId, size, mime, fileName, createdAtMs, expiresAtMs

    static byte[] upload(UploadRecord u) {
        return new ValueWriter(ValueCodec.V1, 64 + u.fileName().length() * 3).varLong(u.userId()).varLong(u.size())
                .string("mime", u.mime()).string("fileName", u.fileName()).varLong(u.createdAtMs())
                .varLong(u.expiresAtMs()).toByteArray();
    }

    static UploadRecord upload(String id, byte[] v) {
        ValueReader r = new ValueReader(Family.UPLOADS.cfName(), v, ValueCodec.V1);
        UploadRecord u = new UploadRecord(id, r.varLong(), r.varLong(), r.string(), r.string(), r.varLong(), r.varLong());
        r.end();
        return u;
    }

    // ---- media: utf8 mediaId -> uploaderId, sha256, size, mime, fileName, width, height, thumbSha256,
    //      thumbSize, createdAtMs, durationMs

    static byte[] media(MediaRecord m) {
        return new ValueWriter(ValueCodec.V1, 200 + m.fileName().length() * 3).varLong(m.uploaderId())
                .string("sha256", m.sha256()).varLong(m.size()).string("mime", m.mime())
                .string("fileName", m.fileName()).varLong(m.width()).varLong(m.height())
                .string("thumbSha256", m.thumbSha256()).varLong(m.thumbSize()).varLong(m.createdAtMs())
                .varLong(m.durationMs()).toByteArray();
    }

    static MediaRecord media(String id, byte[] v) {
        ValueReader r = new ValueReader(Family.MEDIA.cfName(), v, ValueCodec.V1);
        MediaRecord m = new MediaRecord(id, r.varLong(), r.string(), r.varLong(), r.string(), r.string(),
                (int) r.varLong(), (int) r.varLong(), r.string(), r.varLong(), r.varLong(), r.varLong());
        r.end();
        return m;
    }

    // ---- blob_refs: utf8 sha256 -> refs, size, unreferencedSinceMs

    static byte[] blobRef(BlobRefRecord b) {
        return new ValueWriter(ValueCodec.V1, 32).varLong(b.refs()).varLong(b.size()).varLong(b.unreferencedSinceMs())
                .toByteArray();
    }

    static BlobRefRecord blobRef(String sha256, byte[] v) {
        ValueReader r = new ValueReader(Family.BLOB_REFS.cfName(), v, ValueCodec.V1);
        BlobRefRecord b = new BlobRefRecord(sha256, r.varLong(), r.varLong(), r.varLong());
        r.end();
        return b;
    }
}
