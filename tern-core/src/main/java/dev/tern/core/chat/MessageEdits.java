package dev.tern.core.chat;

import dev.tern.core.Await;
import dev.tern.core.CoreConfig;
import dev.tern.core.Failure;
import dev.tern.core.auth.Principal;
import dev.tern.core.commit.CommitPipeline;
import dev.tern.core.commit.Prepared;
import dev.tern.core.store.BodyKind;
import dev.tern.core.store.ConversationKind;
import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.MemberRole;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.Store;
import dev.tern.core.store.UpdateKind;
import dev.tern.protocol.v1.EditMessage;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.Ok;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Edits and recalls (delete for everyone): a message record rewritten under its key, and an entry
 * in the log of every member who can see the message, so every device learns of it by push or sync.
 *
 * <p>Rewrites of messages of one conversation are serialised by a lock stripe held from reading the
 * record until the rewrite is durable: an edit racing a recall must not write back the content the
 * recall erased. The stripe is taken before the sequencing lock and never under it.
 */
public final class MessageEdits {
    private static final int STRIPES = 64;

    private final Store store;
    private final CommitPipeline pipeline;
    private final Conversations conversations;
    private final Timeline timeline;
    private final InstantSource clock;
    private final CoreConfig config;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    public MessageEdits(Store store, CommitPipeline pipeline, Conversations conversations, Timeline timeline,
                        InstantSource clock, CoreConfig config) {
        this.store = store;
        this.pipeline = pipeline;
        this.conversations = conversations;
        this.timeline = timeline;
        this.clock = clock;
        this.config = config;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Replaces the content of the caller's own message within the edit window. Blocks until durable. */
    public Ok edit(Principal caller, EditMessage req) {
        Principal.require(caller);
        long conversationId = req.getConversationId();
        Conversations.Membership ms = conversations.requireMember(caller, conversationId);
        Content content = Content.of(req.getContentCase() == EditMessage.ContentCase.TEXT, req.getText(),
                req.getContentCase() == EditMessage.ContentCase.DATA, req.getData(), config.maxBodyBytes());
        if (req.getContentType().length() > Messaging.MAX_CONTENT_TYPE) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "content_type must be at most 128 characters");
        }
        ReentrantLock lock = stripe(conversationId);
        lock.lock();
        try {
            MessageRecord m = readable(store, ms, req.getSeq());
            if (m.senderId() != caller.userId()) {
                throw new Failure(ErrorCode.FORBIDDEN, "only its author may edit a message");
            }
            if (m.bodyKind() == BodyKind.SERVICE || m.extras().recalled() || m.extras().forwarded()) {
                throw new Failure(ErrorCode.NOT_EDITABLE, "service, deleted and forwarded messages cannot be edited");
            }
            long now = clock.millis();
            if (now - m.tsMs() > config.editWindow().toMillis()) {
                throw new Failure(ErrorCode.EDIT_WINDOW_PASSED,
                        "messages can be edited for " + config.editWindow().toMinutes() + " minutes after sending");
            }
            String type = req.getContentType().isEmpty() ? m.contentType() : req.getContentType();
            return rewrite(caller, ms, m.edited(type, content.kind(), content.body(), now), UpdateKind.EDIT);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes a message for everyone: its author within the recall window, a group's admins and
     * owner any time. Recalling a recalled message again changes nothing. Blocks until durable.
     */
    public Ok recall(Principal caller, long conversationId, long seq) {
        Principal.require(caller);
        Conversations.Membership ms = conversations.requireMember(caller, conversationId);
        ReentrantLock lock = stripe(conversationId);
        lock.lock();
        try {
            MessageRecord m = readable(store, ms, seq);
            if (m.bodyKind() == BodyKind.SERVICE) {
                throw new Failure(ErrorCode.NOT_EDITABLE, "service messages cannot be deleted");
            }
            boolean moderator = ms.state().header().kind() == ConversationKind.GROUP
                    && ms.member().role() != MemberRole.MEMBER;
            if (!moderator && m.senderId() != caller.userId()) {
                throw new Failure(ErrorCode.FORBIDDEN, "only its author or a group admin may delete a message for everyone");
            }
            if (m.extras().recalled()) {
                return Ok.newBuilder().setConversationId(conversationId).setSeq(seq).build(); // a retry: done already
            }
            if (!moderator) {
                if (clock.millis() - m.tsMs() > config.recallWindow().toMillis()) {
                    throw new Failure(ErrorCode.RECALL_WINDOW_PASSED, "messages can be deleted for everyone for "
                            + config.recallWindow().toMinutes() + " minutes after sending");
                }
            }
            return rewrite(caller, ms, m.recalled(), UpdateKind.RECALL);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The message {@code seq} of the membership's conversation, if the member can read it (it is
     * not older than their joining); MESSAGE_NOT_FOUND otherwise, with the same text either way.
     */
    static MessageRecord readable(Store store, Conversations.Membership ms, long seq) {
        if (seq <= 0 || seq < ms.member().joinedSeq()) {
            throw notFound();
        }
        return store.message(ms.state().id(), seq).orElseThrow(MessageEdits::notFound);
    }

    static Failure notFound() {
        return new Failure(ErrorCode.MESSAGE_NOT_FOUND, "no such message");
    }

    private Ok rewrite(Principal caller, Conversations.Membership ms, MessageRecord updated, UpdateKind kind) {
        long conversationId = ms.state().id();
        timeline.preload(ms.state());
        return Await.result(pipeline.submit(() -> {
            ConversationState state = conversations.requireMember(caller, conversationId).state();
            List<Mutation> batch = new ArrayList<>();
            batch.add(updated);
            // Only members who can see the message learn of the change: a later joiner's log must not
            // point at a message from before their time.
            List<Long> recipients = new ArrayList<>();
            for (MemberRecord member : state.members().values()) {
                if (member.joinedSeq() <= updated.seq()) {
                    recipients.add(member.userId());
                }
            }
            List<Timeline.Entry> entries = timeline.log(recipients, kind, conversationId, updated.seq(),
                    caller.userId(), batch);
            Timeline.Entry mine = Timeline.entryOf(entries, caller.userId());
            Message wire = Timeline.toWire(updated, state.header().kind());
            Runnable publish = timeline.push(entries,
                    u -> {
                        if (kind == UpdateKind.EDIT) {
                            u.setEdited(wire);
                        } else {
                            u.setRecalled(wire);
                        }
                    }, caller.userId(), caller.deviceId());
            Ok ok = Ok.newBuilder().setConversationId(conversationId).setSeq(updated.seq()).setPts(mine.pts())
                    .setPrevPts(mine.prevPts()).build();
            return new Prepared<>(batch, ok, publish);
        }));
    }

    private ReentrantLock stripe(long conversationId) {
        return stripes[(int) Math.floorMod(conversationId * 0x9E3779B97F4A7C15L >>> 32, STRIPES)];
    }
}
