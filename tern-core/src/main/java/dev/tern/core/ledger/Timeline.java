package dev.tern.core.ledger;

import dev.tern.core.Principal;
import dev.tern.core.store.BodyKind;
import dev.tern.core.store.ConversationKind;
import dev.tern.core.store.ConversationRecord;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.UpdateKind;
import dev.tern.core.store.UpdateRecord;
import dev.tern.core.view.Change;
import dev.tern.core.view.Committed;
import dev.tern.core.view.MessageView;
import dev.tern.core.view.Push;
import dev.tern.core.view.ServiceEvent;
import dev.tern.core.view.Update;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Appends to a conversation: one message record, one update-log entry per recipient, and the
 * push that follows durability. Used by sends and by membership changes (service messages).
 *
 * <p>Broadcast conversations (channels, and groups with more members than the configured threshold)
 * are fanned out on read: an append writes the message record and log entries only for the acting
 * user and the user a service message is about, whatever the number of members; members read the
 * conversation's seq range (History), learn of news from Sync, and online members get a push with
 * pts 0 (not a log entry). So a post costs a constant number of store writes.
 */
public final class Timeline {

    /** A log entry issued for one recipient. */
    public record Entry(long userId, long pts, long prevPts) {}

    /** What {@link #append} produced: the message, its log entries and the push to run after commit. */
    public record Appended(MessageRecord record, MessageView view, List<Entry> entries, Runnable publish) {}

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
    private final Fanout sessions;
    private final Conversations conversations;
    private final int broadcastThreshold;
    // Pushes of broadcast conversations, in commit order, off the publisher thread: a post to a
    // channel with 200,000 online subscribers must not hold up every other user's ack behind it.
    private final java.util.concurrent.ExecutorService fanOut = java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("tern-broadcast").daemon().unstarted(r));

    Timeline(Sequencers sequencers, Fanout sessions, Conversations conversations, int broadcastThreshold) {
        this.sequencers = sequencers;
        this.sessions = sessions;
        this.conversations = conversations;
        this.broadcastThreshold = broadcastThreshold;
    }

    /**
     * Bit 62 marks the id of a broadcast conversation's change log, which lives in the update-log key
     * space (and numbering) under that id: user ids never reach it.
     */
    static final long CHANGE_LOG = 1L << 62;

    /** The log of edits, recalls and reaction changes of a broadcast conversation's messages. */
    public static long changeLogOf(long conversationId) {
        return CHANGE_LOG | conversationId;
    }

    /** True when the conversation is fanned out on read (a channel, or a group above the threshold). */
    public boolean broadcast(ConversationState state) {
        return state.header().kind() == ConversationKind.CHANNEL || state.header().broadcast()
                || state.members().size() > broadcastThreshold;
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
    public Appended append(ConversationState state, Draft d, Collection<Long> recipients, List<Mutation> batch) {
        return append(state, d, recipients, 0, batch);
    }

    /**
     * The same; in a broadcast conversation only the sender and {@code target} (the user a service
     * message is about, 0 for none) among the recipients get log entries, the other members a push.
     */
    public Appended append(ConversationState state, Draft d, Collection<Long> recipients, long target,
                           List<Mutation> batch) {
        long conversationId = state.id();
        long seq = sequencers.allocate(Sequencers.conversationKey(conversationId), batch).value();
        MessageRecord record = new MessageRecord(conversationId, seq, d.senderId(), d.senderName(),
                d.senderDeviceId(), d.clientMsgId(), d.contentType(), d.bodyKind(), d.body(), d.tsMs(), d.extras());
        batch.add(record);
        boolean wide = broadcast(state);
        Collection<Long> logged = wide ? narrow(recipients, d.senderId(), target) : recipients;
        List<Entry> entries = log(logged, UpdateKind.MESSAGE, conversationId, seq, d.senderId(), batch);
        MessageView view = new MessageView(record, state.header().kind());
        List<Long> mentions = record.extras().mentions();
        Change posted = new Change.Posted(view);
        Runnable publish = push(entries, e -> Update.logged(e.pts, e.prevPts, posted)
                .withMentioned(mentions.contains(e.userId())), d.senderId(), d.senderDeviceId());
        if (wide) {
            Runnable logPush = publish;
            Runnable rest = pushBroadcast(state, seq, logged, Update.unlogged(posted), mentions);
            publish = () -> {
                logPush.run();
                rest.run();
            };
        }
        return new Appended(record, view, entries, publish);
    }

    /**
     * The recipients who keep a log entry in a broadcast conversation. Asked by lookup, never by a
     * walk: the recipients of a post are every member (a key set of a million, under the lock).
     */
    static List<Long> narrow(Collection<Long> recipients, long actor, long target) {
        List<Long> out = new ArrayList<>(2);
        if (recipients.contains(actor)) {
            out.add(actor);
        }
        if (target != 0 && target != actor && recipients.contains(target)) {
            out.add(target);
        }
        return out;
    }

    /**
     * The push, after durability, of {@code update} (about message {@code seq}) in a broadcast
     * conversation to every online member who can see it and got no log entry for it ({@code logged});
     * pts 0 marks it as outside the update log, and the members in {@code mentioned} get it flagged.
     * Runs on the fan-out thread, which walks the online users or the members, whichever are fewer;
     * the two pushes are made once. Delivered markers, which are never log entries, take this path in
     * every conversation (see the inbox's Receipts).
     */
    public Runnable pushBroadcast(ConversationState state, long seq, Collection<Long> logged, Update update,
                                  Collection<Long> mentioned) {
        java.util.Set<Long> skip = new java.util.HashSet<>(logged);
        Push plain = new Push.Updated(update);
        Push flagged = mentioned.isEmpty() ? plain : new Push.Updated(update.withMentioned(true));
        return () -> fanOut.execute(() -> sessions.forEachOnline(state.members(), user -> {
            dev.tern.core.store.MemberRecord m = state.members().get(user);
            if (skip.contains(user) || m == null || m.joinedSeq() > seq) {
                return;
            }
            try {
                sessions.toUser(user, mentioned.contains(user) ? flagged : plain, 0);
            } catch (RuntimeException failed) {
                org.slf4j.LoggerFactory.getLogger(Timeline.class).warn("push to user {} failed", user, failed);
            }
        }));
    }

    /**
     * Under the sequencing lock: appends a service message (a change to the conversation) by
     * {@code caller} for {@code recipients}; the result is the caller's {@code ok} with its pts.
     */
    public Prepared<Committed> service(Principal caller, ConversationRecord header, ServiceEvent event,
                                Iterable<Long> recipients, List<Mutation> batch, long now) {
        Draft draft = new Draft(caller.userId(), caller.username(), caller.deviceId(), "", "tern/service",
                BodyKind.SERVICE, event.encode(), now, MessageRecord.Extras.NONE);
        // Under the lock the cached state is the current one (callers put their change before this).
        ConversationState state = conversations.peek(header.id());
        if (state == null) {
            state = conversations.get(header.id()).orElseThrow();
        }
        List<Long> to = new ArrayList<>();
        long target = event.targetUserId();
        if (broadcast(state)) {
            // Only the actor and the user the event is about keep log entries: no walk over every member.
            to.add(caller.userId());
            if (target != 0 && target != caller.userId()) {
                to.add(target);
            }
        } else {
            recipients.forEach(to::add);
        }
        Appended a = append(state.withHeader(header), draft, to, target, batch);
        Entry mine = entryOf(a.entries(), caller.userId());
        return new Prepared<>(batch, new Committed(header.id(), a.record().seq(), mine.pts(), mine.prevPts()),
                a.publish());
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
    public Runnable push(List<Entry> entries, Change change, long actorId, long actorDeviceId) {
        return push(entries, e -> Update.logged(e.pts, e.prevPts, change), actorId, actorDeviceId);
    }

    /** The same, with the update depending on the recipient's entry. */
    public Runnable push(List<Entry> entries, Function<Entry, Update> update, long actorId, long actorDeviceId) {
        return () -> {
            for (Entry e : entries) {
                try {
                    sessions.toUser(e.userId, new Push.Updated(update.apply(e)),
                            e.userId == actorId ? actorDeviceId : 0);
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
    public void preload(ConversationState state, long actorId) {
        sequencers.preload(Sequencers.conversationKey(state.id()));
        sequencers.preload(Sequencers.userKey(actorId));
        if (broadcast(state)) {
            sequencers.preload(Sequencers.userKey(changeLogOf(state.id())));
        } else {
            state.members().keySet().forEach(u -> sequencers.preload(Sequencers.userKey(u)));
        }
    }

    /** True when an append to {@code state} allocates without reading the store ({@link #preload} is done). */
    public boolean isPreloaded(ConversationState state, long actorId) {
        if (!sequencers.isLoaded(Sequencers.conversationKey(state.id()))
                || !sequencers.isLoaded(Sequencers.userKey(actorId))) {
            return false;
        }
        if (broadcast(state)) {
            return sequencers.isLoaded(Sequencers.userKey(changeLogOf(state.id())));
        }
        for (long u : state.members().keySet()) {
            if (!sequencers.isLoaded(Sequencers.userKey(u))) {
                return false;
            }
        }
        return true;
    }

    /** Lets queued broadcast pushes go out (briefly), then stops the broadcast thread. */
    void close() {
        fanOut.shutdown();
        try {
            fanOut.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
