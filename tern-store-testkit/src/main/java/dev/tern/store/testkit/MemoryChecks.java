package dev.tern.store.testkit;

import dev.tern.core.store.BlobRefRecord;
import dev.tern.core.store.ChannelNameRecord;
import dev.tern.core.store.ConversationRecord;
import dev.tern.core.store.DedupRecord;
import dev.tern.core.store.DeleteBlobRef;
import dev.tern.core.store.DeleteDedup;
import dev.tern.core.store.DeleteMedia;
import dev.tern.core.store.DeleteUpload;
import dev.tern.core.store.MediaRecord;
import dev.tern.core.store.MediaUseRecord;
import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.PrivacyRecord;
import dev.tern.core.store.SequenceBound;
import dev.tern.core.store.StoreException;
import dev.tern.core.store.TicketRecord;
import dev.tern.core.store.UpdateRecord;
import dev.tern.core.store.UploadRecord;
import dev.tern.core.store.UserRecord;

/**
 * What {@link MemoryStore} refuses before it applies a batch: the mutations a durable store cannot
 * encode (a null where a string, an enum or an emoji must be), so a batch that would fail on RocksDB
 * fails here too, with the same message and nothing applied. Fields the records normalise themselves
 * (empty descriptions, file names, drafts) need no check.
 */
final class MemoryChecks {

    private MemoryChecks() {
    }

    static void check(Mutation mutation) {
        switch (mutation) {
            case null -> throw new StoreException("batch contains a null mutation");
            case UserRecord u -> need("username", u.username(), "passwordHash", u.passwordHash());
            case TicketRecord t -> need("deviceName", t.deviceName());
            case ConversationRecord c -> need("kind", c.kind(), "title", c.title());
            case MemberRecord m -> need("role", m.role());
            case MessageRecord m -> {
                need("senderName", m.senderName(), "clientMsgId", m.clientMsgId(), "contentType", m.contentType(),
                        "bodyKind", m.bodyKind());
                m.extras().reactions().forEach(r -> need("emoji", r.emoji()));
            }
            case UpdateRecord u -> need("update kind", u.kind());
            case DedupRecord d -> need("clientMsgId", d.clientMsgId());
            case DeleteDedup d -> need("clientMsgId", d.clientMsgId());
            case SequenceBound s -> need("sequence key", s.key());
            case PrivacyRecord p -> need("visibility", p.lastSeen(), "visibility", p.readReceipts());
            case ChannelNameRecord c -> need("name", c.canonicalName());
            case UploadRecord u -> need("uploadId", u.uploadId(), "mime", u.mime(), "fileName", u.fileName());
            case DeleteUpload d -> need("uploadId", d.uploadId());
            case MediaRecord m -> need("mediaId", m.mediaId(), "sha256", m.sha256(), "mime", m.mime());
            case DeleteMedia d -> need("mediaId", d.mediaId());
            case MediaUseRecord u -> need("mediaId", u.mediaId());
            case BlobRefRecord b -> need("sha256", b.sha256());
            case DeleteBlobRef d -> need("sha256", d.sha256());
            default -> {
                // every other mutation has only numbers, or fields its constructor already checks
            }
        }
    }

    /** {@code fieldsAndValues}: field name, value, field name, value, ... */
    private static void need(Object... fieldsAndValues) {
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            if (fieldsAndValues[i + 1] == null) {
                throw new StoreException("cannot store null " + fieldsAndValues[i]);
            }
        }
    }
}
