package dev.tern.core.chat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import dev.tern.core.auth.Principal;
import dev.tern.core.commit.Prepared;
import dev.tern.core.delivery.Sessions;
import dev.tern.core.sequence.Sequencers;
import dev.tern.core.store.BodyKind;
import dev.tern.core.store.ConversationKind;
import dev.tern.core.store.ConversationRecord;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.UpdateKind;
import dev.tern.core.store.UpdateRecord;
import dev.tern.protocol.v1.Forwarded;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.Ok;
import dev.tern.protocol.v1.ReactionCount;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.protocol.v1.ServiceEvent;
import dev.tern.protocol.v1.Update;
import dev.tern.protocol.v1.UpdatePush;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Appends to a conversation: one message record, one update-log entry per recipient, and the
 * push that follows durability. Used by sends and by membership changes (service messages).
 */
public final class Timeline {

    /** A log entry issued for one recipient. */
    public record Entry(long userId, long pts, long prevPts) {}

    /** What {@link #append} produced: the message, its log entries and the push to run after commit. */
    public record Appended(MessageRecord record, Message wire, List<Entry> entries, Runnable publish) {}

    /** The entry issued to {@code userId}. */
    public static Entry entryOf(List<Entry> entries, long userId) {
        for (Entry e : entries) {
            if (e.userId == userId) {
                return e;
            }
        }
        throw new IllegalArgumentException("no entry for user " + userId);
    }

    private final Sequencers sequencers;
    private final Sessions sessions;

    public Timeline(Sequencers sequencers, Sessions sessions) {
        this.sequencers = sequencers;
        this.sessions = sessions;
    }

    /** The message to append, before it has a seq. */
    public record Draft(long senderId, String senderName, long senderDeviceId, String clientMsgId, String contentType,
                        BodyKind bodyKind, byte[] body, long tsMs, MessageRecord.Extras extras) {
        public Draft withExtras(MessageRecord.Extras e) {
            return new Draft(senderId, senderName, senderDeviceId, clientMsgId, contentType, bodyKind, body, tsMs, e);
        }
    }

    /**
     * Under the sequencing lock: assigns the seq and each recipient's pts, adds the mutations to
     * {@code batch}. The sender's own device (if any) gets no push; it learns from the response.
     */
    public Appended append(long conversationId, ConversationKind kind, Draft d, Collection<Long> recipients,
                           List<Mutation> batch) {
        long seq = sequencers.allocate(Sequencers.conversationKey(conversationId), batch).value();
        MessageRecord record = new MessageRecord(conversationId, seq, d.senderId(), d.senderName(),
                d.senderDeviceId(), d.clientMsgId(), d.contentType(), d.bodyKind(), d.body(), d.tsMs(), d.extras());
        batch.add(record);
        List<Entry> entries = log(recipients, UpdateKind.MESSAGE, conversationId, seq, d.senderId(), batch);
        Message wire = toWire(record, kind);
        List<Long> mentions = record.extras().mentions();
        Runnable publish = push(entries, (e, u) -> {
            u.setMessage(wire);
            if (mentions.contains(e.userId())) {
                u.setMentioned(true);
            }
        }, d.senderId(), d.senderDeviceId());
        return new Appended(record, wire, entries, publish);
    }

    /**
     * Under the sequencing lock: appends a service message (a change to the conversation) by
     * {@code caller} for {@code recipients}; the result is the caller's {@code ok} with its pts.
     */
    public Prepared<Ok> service(Principal caller, ConversationRecord header, ServiceEvent event,
                                Iterable<Long> recipients, List<Mutation> batch, long now) {
        List<Long> to = new ArrayList<>();
        recipients.forEach(to::add);
        Draft draft = new Draft(caller.userId(), caller.username(), caller.deviceId(), "", "tern/service",
                BodyKind.SERVICE, event.toByteArray(), now, MessageRecord.Extras.NONE);
        Appended a = append(header.id(), header.kind(), draft, to, batch);
        Entry mine = entryOf(a.entries(), caller.userId());
        Ok ok = Ok.newBuilder().setConversationId(header.id()).setSeq(a.record().seq()).setPts(mine.pts())
                .setPrevPts(mine.prevPts()).build();
        return new Prepared<>(batch, ok, a.publish());
    }

    /**
     * Under the sequencing lock: one update-log entry per recipient pointing at (conversation, seq),
     * each with the recipient's next pts.
     */
    public List<Entry> log(Collection<Long> recipients, UpdateKind kind, long conversationId, long seq, long actorId,
                           List<Mutation> batch) {
        List<Entry> entries = new ArrayList<>(recipients.size());
        for (long user : recipients) {
            Sequencers.Issued pts = sequencers.allocate(Sequencers.userKey(user), batch);
            batch.add(new UpdateRecord(user, pts.value(), pts.previous(), kind, conversationId, seq, actorId));
            entries.add(new Entry(user, pts.value(), pts.previous()));
        }
        return entries;
    }

    /**
     * The push of {@code entries} to run after they are durable: each recipient's devices get their
     * entry; the acting device gets none (its response carries its pts).
     */
    public Runnable push(List<Entry> entries, Consumer<Update.Builder> body, long actorId, long actorDeviceId) {
        return push(entries, (e, u) -> body.accept(u), actorId, actorDeviceId);
    }

    /** The same, with the body depending on the recipient's entry. */
    public Runnable push(List<Entry> entries, BiConsumer<Entry, Update.Builder> body, long actorId, long actorDeviceId) {
        return () -> {
            for (Entry e : entries) {
                try {
                    Update.Builder u = Update.newBuilder().setPts(e.pts).setPrevPts(e.prevPts);
                    body.accept(e, u);
                    ServerFrame frame = ServerFrame.newBuilder().setUpdate(UpdatePush.newBuilder().setUpdate(u)).build();
                    sessions.toUser(e.userId, frame, e.userId == actorId ? actorDeviceId : 0);
                } catch (RuntimeException failed) {
                    // One recipient's push failing must not cost the others theirs; the log has it.
                    org.slf4j.LoggerFactory.getLogger(Timeline.class).warn("push to user {} failed", e.userId, failed);
                }
            }
        };
    }

    /**
     * Loads, outside the lock, every sequencer an append to {@code state} allocates from: the
     * conversation's seq and each member's pts. May read the store.
     */
    public void preload(ConversationState state) {
        sequencers.preload(Sequencers.conversationKey(state.id()));
        state.members().keySet().forEach(u -> sequencers.preload(Sequencers.userKey(u)));
    }

    /** True when an append to {@code state} allocates without reading the store ({@link #preload} is done). */
    public boolean isPreloaded(ConversationState state) {
        if (!sequencers.isLoaded(Sequencers.conversationKey(state.id()))) {
            return false;
        }
        for (long u : state.members().keySet()) {
            if (!sequencers.isLoaded(Sequencers.userKey(u))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The wire form of a stored message. Strings go in as UTF-8 bytes: protobuf would otherwise
     * measure and encode each String char by char on every serialization (a third of a catch-up
     * page's build time), while {@code getBytes} is one intrinsic copy. The body is wrapped, not
     * copied: a record's array is never mutated (its accessor hands out copies).
     */
    public static Message toWire(MessageRecord r, ConversationKind kind) {
        Message.Builder b = Message.newBuilder()
                .setConversationId(r.conversationId())
                .setSeq(r.seq())
                .setSenderId(r.senderId())
                .setSenderNameBytes(ByteString.copyFromUtf8(r.senderName()))
                .setSenderDeviceId(r.senderDeviceId())
                .setClientMsgIdBytes(ByteString.copyFromUtf8(r.clientMsgId()))
                .setContentTypeBytes(ByteString.copyFromUtf8(r.contentType()))
                .setTsMs(r.tsMs())
                .setConversationKind(kind == ConversationKind.DIRECT
                        ? dev.tern.protocol.v1.ConversationKind.DIRECT
                        : dev.tern.protocol.v1.ConversationKind.GROUP);
        MessageRecord.Extras x = r.extras();
        if (x.replyToSeq() != 0) {
            b.setReplyToSeq(x.replyToSeq());
        }
        if (x.forwarded()) {
            b.setForwarded(Forwarded.newBuilder().setSenderId(x.forwardSenderId())
                    .setSenderName(x.forwardSenderName()).setTsMs(x.forwardTsMs()));
        }
        if (x.editedAtMs() != 0) {
            b.setEditedAtMs(x.editedAtMs());
        }
        if (x.recalled()) {
            return b.setRecalled(true).build(); // no content left
        }
        b.addAllMentionIds(x.mentions());
        for (MessageRecord.Reaction reaction : x.reactions()) {
            b.addReactions(ReactionCount.newBuilder().setEmoji(reaction.emoji()).setCount(reaction.count()));
        }
        byte[] body = r.bodyUnsafe();
        switch (r.bodyKind()) {
            // Stored bytes are the UTF-8 the client sent: hand them over as is (no decode + re-encode).
            case TEXT -> b.setTextBytes(UnsafeByteOperations.unsafeWrap(body));
            case DATA -> b.setData(UnsafeByteOperations.unsafeWrap(body));
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
