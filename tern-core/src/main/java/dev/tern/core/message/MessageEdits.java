package dev.tern.core.message;

import dev.tern.core.Await;
import dev.tern.core.CoreConfig;
import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.core.Principal;
import dev.tern.core.auth.Users;
import dev.tern.core.ledger.ConversationState;
import dev.tern.core.ledger.Conversations;
import dev.tern.core.ledger.Ledger;
import dev.tern.core.ledger.Prepared;
import dev.tern.core.ledger.Timeline;
import dev.tern.core.store.BodyKind;
import dev.tern.core.store.ConversationKind;
import dev.tern.core.store.ConversationRecord;
import dev.tern.core.store.HiddenRecord;
import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.MemberRole;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.ReactionRecord;
import dev.tern.core.store.StoreReads;
import dev.tern.core.store.UpdateKind;
import dev.tern.core.view.Change;
import dev.tern.core.view.Committed;
import dev.tern.core.view.MessageView;
import dev.tern.core.view.Reactor;
import dev.tern.core.view.ReactorsPage;
import dev.tern.core.view.Update;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
    static final int MAX_EMOJI_CHARS = 32;
    static final int MAX_REACTIONS_PER_USER = 3;
    static final int MAX_DISTINCT_REACTIONS = 64;
    private static final int MAX_REACTORS_PAGE = 200;
    static final int MAX_HIDE = 100;

    private final StoreReads store;
    private final Ledger ledger;
    private final Conversations conversations;
    private final Users users;
    private final Timeline timeline;
    private final InstantSource clock;
    private final CoreConfig config;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    public MessageEdits(StoreReads store, Ledger ledger, Conversations conversations, Users users,
                        Timeline timeline, InstantSource clock, CoreConfig config) {
        this.store = store;
        this.ledger = ledger;
        this.conversations = conversations;
        this.users = users;
        this.timeline = timeline;
        this.clock = clock;
        this.config = config;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Replaces the content of the caller's own message within the edit window. The future is complete on return: the change holds the conversation's stripe lock until it is durable, so the next read-modify-write of the same message reads it from the store. */
    public CompletableFuture<Committed> edit(Principal caller, Edit req) {
        return CompletableFuture.completedFuture(editNow(caller, req));
    }

    private Committed editNow(Principal caller, Edit req) {
        Principal.require(caller);
        long conversationId = req.conversationId();
        Conversations.Membership ms = conversations.requireMember(caller, conversationId);
        Content content = Content.of(req.text(), req.data(), config.maxBodyBytes());
        if (req.contentType().length() > Drafts.MAX_CONTENT_TYPE) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "content_type must be at most 128 characters");
        }
        ReentrantLock lock = stripe(conversationId);
        lock.lock();
        try {
            MessageRecord m = readable(store, ms, req.seq());
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
            String type = req.contentType().isEmpty() ? m.contentType() : req.contentType();
            return rewrite(caller, ms, m.edited(type, content.kind(), content.body(), now), UpdateKind.EDIT);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes a message for everyone: its author within the recall window, a group's admins and
     * owner any time. Recalling a recalled message again changes nothing. The future is complete on return: the change holds the conversation's stripe lock until it is durable, so the next read-modify-write of the same message reads it from the store.
     */
    public CompletableFuture<Committed> recall(Principal caller, long conversationId, long seq) {
        return CompletableFuture.completedFuture(recallNow(caller, conversationId, seq));
    }

    private Committed recallNow(Principal caller, long conversationId, long seq) {
        Principal.require(caller);
        Conversations.Membership ms = conversations.requireMember(caller, conversationId);
        ReentrantLock lock = stripe(conversationId);
        lock.lock();
        try {
            MessageRecord m = readable(store, ms, seq);
            if (m.bodyKind() == BodyKind.SERVICE) {
                throw new Failure(ErrorCode.NOT_EDITABLE, "service messages cannot be deleted");
            }
            boolean moderator = ms.state().header().kind() != ConversationKind.DIRECT
                    && ms.member().role() != MemberRole.MEMBER;
            if (!moderator && m.senderId() != caller.userId()) {
                throw new Failure(ErrorCode.FORBIDDEN, "only its author or a group admin may delete a message for everyone");
            }
            if (m.extras().recalled()) {
                return new Committed(conversationId, seq, 0, 0); // a retry: done already
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
     * Adds (or with {@code remove} takes back) the caller's reaction {@code emoji} to a message. A
     * repeat changes nothing and answers without a pts. The future is complete on return: the change holds the conversation's stripe lock until it is durable, so the next read-modify-write of the same message reads it from the store.
     */
    public CompletableFuture<Committed> react(Principal caller, long conversationId, long seq, String emoji, boolean remove) {
        return CompletableFuture.completedFuture(reactNow(caller, conversationId, seq, emoji, remove));
    }

    private Committed reactNow(Principal caller, long conversationId, long seq, String emoji, boolean remove) {
        Principal.require(caller);
        if (emoji == null || emoji.isEmpty() || emoji.length() > MAX_EMOJI_CHARS) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "emoji must be 1-" + MAX_EMOJI_CHARS + " characters");
        }
        Conversations.Membership ms = conversations.requireMember(caller, conversationId);
        ReentrantLock lock = stripe(conversationId);
        lock.lock();
        try {
            MessageRecord m = readable(store, ms, seq);
            if (m.bodyKind() == BodyKind.SERVICE || m.extras().recalled()) {
                throw new Failure(ErrorCode.NOT_EDITABLE, "service and deleted messages take no reactions");
            }
            List<String> mine = new ArrayList<>(store.reaction(conversationId, seq, caller.userId())
                    .map(ReactionRecord::emoji).orElse(List.of()));
            Committed unchanged = new Committed(conversationId, seq, 0, 0);
            List<MessageRecord.Reaction> counts = new ArrayList<>(m.extras().reactions());
            int at = indexOf(counts, emoji);
            if (remove) {
                if (!mine.remove(emoji)) {
                    return unchanged;
                }
                if (at >= 0) {
                    int left = counts.get(at).count() - 1;
                    if (left > 0) {
                        counts.set(at, new MessageRecord.Reaction(emoji, left));
                    } else {
                        counts.remove(at);
                    }
                }
            } else {
                if (mine.contains(emoji)) {
                    return unchanged;
                }
                if (mine.size() >= MAX_REACTIONS_PER_USER) {
                    throw new Failure(ErrorCode.INVALID_ARGUMENT,
                            "at most " + MAX_REACTIONS_PER_USER + " different reactions per user on one message");
                }
                if (at < 0 && counts.size() >= MAX_DISTINCT_REACTIONS) {
                    throw new Failure(ErrorCode.INVALID_ARGUMENT,
                            "a message takes at most " + MAX_DISTINCT_REACTIONS + " different reactions");
                }
                mine.add(emoji);
                if (at >= 0) {
                    counts.set(at, new MessageRecord.Reaction(emoji, counts.get(at).count() + 1));
                } else {
                    counts.add(new MessageRecord.Reaction(emoji, 1));
                }
            }
            return rewrite(caller, ms, m.withReactions(counts), UpdateKind.REACTION,
                    new ReactionRecord(conversationId, seq, caller.userId(), mine));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Hides messages from the caller's own history; their other devices learn it from a HIDE entry
     * per message in the caller's log. Others still see the messages. The future is complete on return: the change holds the conversation's stripe lock until it is durable, so the next read-modify-write of the same message reads it from the store.
     */
    public CompletableFuture<Committed> deleteForMe(Principal caller, long conversationId, List<Long> seqs) {
        return CompletableFuture.completedFuture(deleteForMeNow(caller, conversationId, seqs));
    }

    private Committed deleteForMeNow(Principal caller, long conversationId, List<Long> seqs) {
        Principal.require(caller);
        if (seqs.isEmpty() || seqs.size() > MAX_HIDE) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "seqs must name 1-" + MAX_HIDE + " messages");
        }
        Conversations.Membership ms = conversations.requireMember(caller, conversationId);
        List<Long> distinct = seqs.stream().distinct().sorted().toList();
        for (long seq : distinct) {
            readable(store, ms, seq);
        }
        timeline.preload(ms.state(), caller.userId());
        return Await.result(ledger.submit(Ledger.Scope.conversation(conversationId), () -> {
            conversations.requireMember(caller, conversationId); // still a member, under the lock
            List<Mutation> batch = new ArrayList<>();
            List<Timeline.Entry> entries = new ArrayList<>();
            List<Runnable> pushes = new ArrayList<>();
            for (long seq : distinct) {
                batch.add(new HiddenRecord(caller.userId(), conversationId, seq));
                List<Timeline.Entry> one = timeline.log(List.of(caller.userId()), UpdateKind.HIDE, conversationId, seq,
                        caller.userId(), batch);
                entries.addAll(one);
                pushes.add(timeline.push(one, new Change.Hidden(conversationId, seq), caller.userId(),
                        caller.deviceId()));
            }
            // The caller's entries are consecutive: the response spans them all.
            Committed ok = new Committed(conversationId, distinct.getLast(), entries.getLast().pts(), entries.getFirst().prevPts());
            return new Prepared<>(batch, ok, () -> pushes.forEach(Runnable::run));
        }));
    }

    /** Who reacted to a message (optionally with one emoji), in user-id order after {@code afterUserId}. */
    public ReactorsPage reactions(Principal caller, long conversationId, long seq, String emoji, long afterUserId,
                                  int pageLimit) {
        Principal.require(caller);
        int limit = pageLimit == 0 ? 50 : pageLimit;
        String only = emoji == null ? "" : emoji;
        if (limit < 0 || limit > MAX_REACTORS_PAGE) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "limit must be 1-" + MAX_REACTORS_PAGE);
        }
        Conversations.Membership ms = conversations.requireMember(caller, conversationId);
        if (ms.state().header().kind() == ConversationKind.CHANNEL && !ms.member().role().atLeast(MemberRole.ADMIN)) {
            // Subscribers are strangers to each other: they see the counts on the message, not who.
            throw new Failure(ErrorCode.FORBIDDEN, "only admins see who reacted in a channel");
        }
        MessageRecord m = readable(store, ms, seq);
        List<Reactor> out = new ArrayList<>();
        if (m.extras().recalled()) {
            return new ReactorsPage(out, false); // a deleted message's reactions went with it
        }
        long after = afterUserId;
        while (true) {
            // With an emoji filter a page may need several reads; each is bounded, and so is the page.
            List<ReactionRecord> batch = store.reactions(m.conversationId(), m.seq(), after, MAX_REACTORS_PAGE);
            for (ReactionRecord r : batch) {
                if (!only.isEmpty() && !r.emoji().contains(only)) {
                    continue;
                }
                if (out.size() == limit) {
                    return new ReactorsPage(out, true);
                }
                out.add(new Reactor(r.userId(), users.nameOf(r.userId()), List.copyOf(r.emoji())));
            }
            if (batch.size() < MAX_REACTORS_PAGE) {
                return new ReactorsPage(out, false);
            }
            after = batch.getLast().userId();
        }
    }

    private static int indexOf(List<MessageRecord.Reaction> counts, String emoji) {
        for (int i = 0; i < counts.size(); i++) {
            if (counts.get(i).emoji().equals(emoji)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The message {@code seq} of the membership's conversation, if the member can read it (it is
     * not older than their joining); MESSAGE_NOT_FOUND otherwise, with the same text either way.
     */
    static MessageRecord readable(StoreReads store, Conversations.Membership ms, long seq) {
        if (seq <= 0 || seq < ms.member().joinedSeq()) {
            throw notFound();
        }
        return store.message(ms.state().id(), seq).orElseThrow(MessageEdits::notFound);
    }

    static Failure notFound() {
        return new Failure(ErrorCode.MESSAGE_NOT_FOUND, "no such message");
    }

    private Committed rewrite(Principal caller, Conversations.Membership ms, MessageRecord updated, UpdateKind kind,
                       Mutation... alongside) {
        long conversationId = ms.state().id();
        timeline.preload(ms.state(), caller.userId());
        return Await.result(ledger.submit(Ledger.Scope.conversation(conversationId), () -> {
            ConversationState state = conversations.requireMember(caller, conversationId).state();
            List<Mutation> batch = new ArrayList<>();
            batch.add(updated);
            batch.addAll(List.of(alongside));
            if (kind == UpdateKind.RECALL && state.header().pinned().contains(updated.seq())) {
                // A deleted message leaves the pins too; members learn it from the RECALL entry.
                List<Long> pins = new ArrayList<>(state.header().pinned());
                pins.remove(updated.seq());
                ConversationRecord header = state.header().withPinned(pins);
                batch.add(header);
                conversations.put(state.withHeader(header));
            }
            // Only members who can see the message learn of the change: a later joiner's log must not
            // point at a message from before their time.
            List<Long> recipients = new ArrayList<>();
            boolean wide = timeline.broadcast(state);
            if (wide) {
                recipients.add(caller.userId()); // fanned out on read: the others get a push, no entry
            } else {
                for (MemberRecord member : state.members().values()) {
                    if (member.joinedSeq() <= updated.seq()) {
                        recipients.add(member.userId());
                    }
                }
            }
            List<Timeline.Entry> entries = timeline.log(recipients, kind, conversationId, updated.seq(),
                    caller.userId(), batch);
            Timeline.Entry mine = Timeline.entryOf(entries, caller.userId());
            Change changed = changed(kind, new MessageView(updated, state.header().kind()));
            Runnable logged = timeline.push(entries, changed, caller.userId(), caller.deviceId());
            Runnable broadcast = () -> { };
            if (wide) {
                // Members who were offline find the change in the conversation's change log (GetChanges).
                Timeline.Entry change = timeline.log(List.of(Timeline.changeLogOf(conversationId)), kind, conversationId,
                        updated.seq(), caller.userId(), batch).getFirst();
                broadcast = timeline.pushBroadcast(state, updated.seq(), recipients,
                        new Update(0, 0, changed, false, change.pts(), change.prevPts()), List.of());
            }
            Runnable rest = broadcast;
            Runnable publish = () -> {
                logged.run();
                rest.run();
            };
            Committed ok = new Committed(conversationId, updated.seq(), mine.pts(), mine.prevPts());
            return new Prepared<>(batch, ok, publish);
        }));
    }

    /** The change an entry of {@code kind} tells about the message as it is now. */
    static Change changed(UpdateKind kind, MessageView message) {
        return switch (kind) {
            case EDIT -> new Change.Edited(message);
            case RECALL -> new Change.Recalled(message);
            case REACTION -> new Change.Reacted(message);
            default -> throw new IllegalArgumentException("not a message change: " + kind);
        };
    }

    private ReentrantLock stripe(long conversationId) {
        return stripes[(int) Math.floorMod(conversationId * 0x9E3779B97F4A7C15L >>> 32, STRIPES)];
    }
}
