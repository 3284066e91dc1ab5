package dev.tern.core.chat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.tern.core.delivery.Sessions;
import dev.tern.core.sequence.Sequencers;
import dev.tern.core.store.BodyKind;
import dev.tern.core.store.ConversationKind;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.UpdateKind;
import dev.tern.core.store.UpdateRecord;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.protocol.v1.ServiceEvent;
import dev.tern.protocol.v1.Update;
import dev.tern.protocol.v1.UpdatePush;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Appends to a conversation: one message record, one update-log entry per recipient, and the
 * push that follows durability. Used by sends and by membership changes (service messages).
 */
public final class Timeline {

    /** A log entry issued for one recipient. */
    public record Entry(long userId, long pts, long prevPts) {}

    /** What {@link #append} produced: the message, its log entries and the push to run after commit. */
    public record Appended(MessageRecord record, Message wire, List<Entry> entries, Runnable publish) {
        public Entry entryOf(long userId) {
            for (Entry e : entries) {
                if (e.userId == userId) {
                    return e;
                }
            }
            throw new IllegalArgumentException("no entry for user " + userId);
        }
    }

    private final Sequencers sequencers;
    private final Sessions sessions;

    public Timeline(Sequencers sequencers, Sessions sessions) {
        this.sequencers = sequencers;
        this.sessions = sessions;
    }

    /** The message to append, before it has a seq. */
    public record Draft(long senderId, String senderName, long senderDeviceId, String clientMsgId, String contentType,
                        BodyKind bodyKind, byte[] body, long tsMs) {}

    /**
     * Under the sequencing lock: assigns the seq and each recipient's pts, adds the mutations to
     * {@code batch}. The sender's own device (if any) gets no push; it learns from the response.
     */
    public Appended append(long conversationId, ConversationKind kind, Draft d, Collection<Long> recipients,
                           List<Mutation> batch) {
        long seq = sequencers.allocate(Sequencers.conversationKey(conversationId), batch).value();
        MessageRecord record = new MessageRecord(conversationId, seq, d.senderId(), d.senderName(),
                d.senderDeviceId(), d.clientMsgId(), d.contentType(), d.bodyKind(), d.body(), d.tsMs());
        batch.add(record);
        List<Entry> entries = new ArrayList<>(recipients.size());
        for (long user : recipients) {
            Sequencers.Issued pts = sequencers.allocate(Sequencers.userKey(user), batch);
            batch.add(new UpdateRecord(user, pts.value(), pts.previous(), UpdateKind.MESSAGE, conversationId, seq,
                    d.senderId()));
            entries.add(new Entry(user, pts.value(), pts.previous()));
        }
        Message wire = toWire(record, kind);
        long exceptDevice = d.senderDeviceId();
        long sender = d.senderId();
        Runnable publish = () -> {
            for (Entry e : entries) {
                ServerFrame push = ServerFrame.newBuilder().setUpdate(UpdatePush.newBuilder().setUpdate(
                        Update.newBuilder().setPts(e.pts).setPrevPts(e.prevPts).setMessage(wire))).build();
                sessions.toUser(e.userId, push, e.userId == sender ? exceptDevice : 0);
            }
        };
        return new Appended(record, wire, entries, publish);
    }

    /** The wire form of a stored message. */
    public static Message toWire(MessageRecord r, ConversationKind kind) {
        Message.Builder b = Message.newBuilder()
                .setConversationId(r.conversationId())
                .setSeq(r.seq())
                .setSenderId(r.senderId())
                .setSenderName(r.senderName())
                .setSenderDeviceId(r.senderDeviceId())
                .setClientMsgId(r.clientMsgId())
                .setContentType(r.contentType())
                .setTsMs(r.tsMs())
                .setConversationKind(kind == ConversationKind.DIRECT
                        ? dev.tern.protocol.v1.ConversationKind.DIRECT
                        : dev.tern.protocol.v1.ConversationKind.GROUP);
        byte[] body = r.bodyUnsafe();
        switch (r.bodyKind()) {
            case TEXT -> b.setText(new String(body, StandardCharsets.UTF_8));
            case DATA -> b.setData(ByteString.copyFrom(body));
            case SERVICE -> {
                try {
                    b.setService(ServiceEvent.parseFrom(body));
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalStateException("corrupt service event in " + r.conversationId() + "/" + r.seq(), e);
                }
            }
        }
        return b.build();
    }
}
