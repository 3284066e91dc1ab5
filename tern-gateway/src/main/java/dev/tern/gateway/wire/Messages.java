package dev.tern.gateway.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import dev.tern.core.store.ConversationKind;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.view.MessageView;
import dev.tern.protocol.v1.Forwarded;
import dev.tern.protocol.v1.Media;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.ReactionCount;
import dev.tern.protocol.v1.ServiceEvent;

import java.util.ArrayList;
import java.util.List;

/** Stored messages as wire messages. */
public final class Messages {
    private Messages() {}

    // Each recipient's update is its own push, but the message inside is one view: built once.
    private static final LastBuilt<MessageView, Message> LAST = new LastBuilt<>(v -> of(v.record(), v.kind()));

    public static Message of(MessageView v) {
        return LAST.of(v);
    }

    public static List<Message> of(List<MessageView> views) {
        List<Message> out = new ArrayList<>(views.size());
        for (MessageView v : views) {
            out.add(of(v.record(), v.kind()));
        }
        return out;
    }

    public static dev.tern.protocol.v1.ConversationKind kind(ConversationKind kind) {
        if (kind == null) {
            return dev.tern.protocol.v1.ConversationKind.CONVERSATION_KIND_UNSPECIFIED;
        }
        return switch (kind) {
            case DIRECT -> dev.tern.protocol.v1.ConversationKind.DIRECT;
            case GROUP -> dev.tern.protocol.v1.ConversationKind.GROUP;
            case CHANNEL -> dev.tern.protocol.v1.ConversationKind.CHANNEL;
        };
    }

    public static dev.tern.protocol.v1.Role role(dev.tern.core.store.MemberRole role) {
        return switch (role) {
            case MEMBER -> dev.tern.protocol.v1.Role.MEMBER;
            case ADMIN -> dev.tern.protocol.v1.Role.ADMIN;
            case OWNER -> dev.tern.protocol.v1.Role.OWNER;
        };
    }

    /**
     * The wire form of a stored message. Strings go in as UTF-8 bytes: protobuf would otherwise
     * measure and encode each String char by char on every serialization (a third of a catch-up
     * page's build time), while {@code getBytes} is one intrinsic copy. The body is wrapped, not
     * copied: a record's array is never mutated (its accessor hands out copies). Media and service
     * bodies are stored in their wire encoding and decoded here once.
     */
    public static Message of(MessageRecord r, ConversationKind kind) {
        Message.Builder b = Message.newBuilder()
                .setConversationId(r.conversationId())
                .setSeq(r.seq())
                .setSenderId(r.senderId())
                .setSenderNameBytes(ByteString.copyFromUtf8(r.senderName()))
                .setSenderDeviceId(r.senderDeviceId())
                .setClientMsgIdBytes(ByteString.copyFromUtf8(r.clientMsgId()))
                .setContentTypeBytes(ByteString.copyFromUtf8(r.contentType()))
                .setTsMs(r.tsMs())
                .setConversationKind(kind(kind));
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
        if (x.hasMedia()) {
            try {
                b.setMedia(Media.parseFrom(x.media()));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("corrupt media in " + r.conversationId() + "/" + r.seq(), e);
            }
        }
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
