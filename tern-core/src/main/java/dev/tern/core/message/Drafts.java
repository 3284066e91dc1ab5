package dev.tern.core.message;

import dev.tern.core.CoreConfig;
import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.core.Principal;
import dev.tern.core.auth.Users;
import dev.tern.core.ledger.Conversations;
import dev.tern.core.ledger.Timeline;
import dev.tern.core.media.MediaLibrary;
import dev.tern.core.store.BodyKind;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.StoreReads;
import dev.tern.core.store.UserRecord;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a send request into the message to order: content checked against the limits, the reply
 * target and the forwarded message checked readable, the media described, mentions resolved to users.
 * Everything here happens before ordering and may read the store; nothing is written.
 */
public final class Drafts {
    static final int MAX_CONTENT_TYPE = 128;

    private final StoreReads store;
    private final Conversations conversations;
    private final Users users;
    private final MediaLibrary media;
    private final InstantSource clock;
    private final CoreConfig config;

    public Drafts(StoreReads store, Conversations conversations, Users users, MediaLibrary media,
                  InstantSource clock, CoreConfig config) {
        this.store = store;
        this.conversations = conversations;
        this.users = users;
        this.media = media;
        this.clock = clock;
        this.config = config;
    }

    /** The message a send asks for, before it has a seq. May read the store (replies, forwards, mentions, media). */
    public Timeline.Draft of(Principal caller, Outgoing req) {
        long replyTo = req.replyToSeq();
        if (replyTo != 0) {
            if (!req.toConversation()) {
                throw new Failure(ErrorCode.INVALID_ARGUMENT, "a reply names its conversation by conversation_id");
            }
            MessageRecord to = MessageEdits.readable(store, conversations.requireMember(caller, req.conversationId()),
                    replyTo);
            if (to.extras().recalled()) {
                throw new Failure(ErrorCode.NOT_EDITABLE, "a deleted message cannot be replied to");
            }
        }
        if (req.forward() != null) {
            return forward(caller, req, replyTo);
        }
        dev.tern.core.media.Attachment attached = req.mediaId().isEmpty() ? null
                : media.describe(caller.userId(), req.mediaId());
        String type = req.contentType().isEmpty() && attached != null ? attached.mime() : req.contentType();
        if (type.isEmpty() || type.length() > MAX_CONTENT_TYPE) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "content_type must be 1-128 characters");
        }
        // With media the text is an optional caption.
        boolean caption = attached != null && !req.hasContent();
        Content content = Content.of(caption ? "" : req.text(), req.data(), config.maxBodyBytes());
        MessageRecord.Extras extras = replyTo == 0 ? MessageRecord.Extras.NONE
                : new MessageRecord.Extras(replyTo, 0, "", 0, 0, false);
        if (attached != null) {
            extras = extras.withMedia(attached.encode());
        }
        if (content.kind() == BodyKind.TEXT && !caption) {
            List<Long> mentioned = new ArrayList<>();
            for (String name : Mentions.names(req.text())) {
                users.byName(name).map(UserRecord::id).filter(id -> id != caller.userId()).ifPresent(mentioned::add);
            }
            extras = extras.withMentions(mentioned); // narrowed to the members under the ordering lock
        }
        return new Timeline.Draft(caller.userId(), caller.username(), caller.deviceId(), req.clientMsgId(), type,
                content.kind(), content.body(), clock.millis(), extras);
    }

    /**
     * A forward copies the content of a message the caller can read and names its original author
     * (a forward of a forward keeps the first author).
     */
    private Timeline.Draft forward(Principal caller, Outgoing req, long replyTo) {
        if (req.hasContent() || !req.contentType().isEmpty()) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "a forward carries no content of its own");
        }
        MessageRecord source = MessageEdits.readable(store,
                conversations.requireMember(caller, req.forward().conversationId()), req.forward().seq());
        if (source.bodyKind() == BodyKind.SERVICE || source.extras().recalled()) {
            throw new Failure(ErrorCode.NOT_EDITABLE, "service and deleted messages cannot be forwarded");
        }
        MessageRecord.Extras from = source.extras();
        MessageRecord.Extras extras = (from.forwarded()
                ? new MessageRecord.Extras(replyTo, from.forwardSenderId(), from.forwardSenderName(), from.forwardTsMs(), 0, false)
                : new MessageRecord.Extras(replyTo, source.senderId(), source.senderName(), source.tsMs(), 0, false))
                .withMedia(from.media()); // the forward's readers may download its media too
        return new Timeline.Draft(caller.userId(), caller.username(), caller.deviceId(), req.clientMsgId(),
                source.contentType(), source.bodyKind(), source.bodyUnsafe(), clock.millis(), extras);
    }
}
