package dev.tern.store.testkit;

import dev.tern.core.store.BodyKind;
import dev.tern.core.store.DedupRecord;
import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.MemberRole;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.TicketRecord;
import dev.tern.core.store.UpdateKind;
import dev.tern.core.store.UpdateRecord;
import dev.tern.core.store.UserRecord;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

/**
 * Deterministic sample records. Every field is derived from the key, so a test can tell from a
 * returned record exactly which write it came from (and a record from a neighbouring key is caught).
 */
public final class Samples {

    public static final long T0 = 1_750_000_000_000L;

    private Samples() {
    }

    public static UserRecord user(long id, String name) {
        return new UserRecord(id, name, "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$" + name + id, T0 + id);
    }

    /** SHA-256 of "ticket-n": the 32-byte hash a ticket is stored under. */
    public static byte[] hash(int n) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(("ticket-" + n).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    public static TicketRecord ticket(int n, long userId, long deviceId) {
        return new TicketRecord(hash(n), userId, deviceId, "device " + deviceId, T0 + n, T0 + n + 86_400_000L);
    }

    public static MemberRecord member(long conversationId, long userId) {
        return new MemberRecord(conversationId, userId, MemberRole.MEMBER, 1);
    }

    public static MessageRecord message(long conversationId, long seq) {
        return new MessageRecord(conversationId, seq, 1000 + seq % 7, "sender" + seq % 7, 2000 + seq % 3,
                "cm-" + conversationId + "-" + seq, "text/plain", BodyKind.TEXT,
                ("message " + seq + " of " + conversationId).getBytes(StandardCharsets.UTF_8), T0 + seq);
    }

    public static List<MessageRecord> messages(long conversationId, long fromSeq, long toSeq) {
        return LongStream.rangeClosed(fromSeq, toSeq).mapToObj(s -> message(conversationId, s)).toList();
    }

    public static UpdateRecord update(long userId, long pts, long prevPts) {
        return new UpdateRecord(userId, pts, prevPts, pts % 5 == 0 ? UpdateKind.READ : UpdateKind.MESSAGE,
                userId * 10 + pts % 3, pts * 2, 3000 + pts % 11);
    }

    /** Updates with pts {@code from..to}, each pointing at its predecessor (the first at {@code from - 1}). */
    public static List<UpdateRecord> updates(long userId, long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(p -> update(userId, p, p - 1)).toList();
    }

    public static DedupRecord dedup(long deviceId, String clientMsgId, long seq) {
        return new DedupRecord(deviceId, clientMsgId, 40 + deviceId, seq, seq + 100, seq + 99, T0 + seq);
    }

    /** {@code n} pseudo-random bytes covering all byte values, reproducible from {@code seed}. */
    public static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    public static long[] seqs(List<MessageRecord> messages) {
        return messages.stream().mapToLong(MessageRecord::seq).toArray();
    }

    public static long[] pts(List<UpdateRecord> updates) {
        return updates.stream().mapToLong(UpdateRecord::pts).toArray();
    }
}
