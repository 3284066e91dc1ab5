package dev.tern.core.presence;

import dev.tern.core.CoreConfig;
import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.core.Principal;
import dev.tern.core.auth.Users;
import dev.tern.core.delivery.Sessions;
import dev.tern.core.delivery.Sink;
import dev.tern.core.ledger.ConversationState;
import dev.tern.core.ledger.Conversations;
import dev.tern.core.ledger.Ledger;
import dev.tern.core.ledger.Prepared;
import dev.tern.core.people.Blocks;
import dev.tern.core.people.Privacy;
import dev.tern.core.store.LastSeenRecord;
import dev.tern.core.store.StoreReads;
import dev.tern.core.store.UserRecord;
import dev.tern.core.view.PresenceView;
import dev.tern.core.view.Push;

import java.time.InstantSource;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Online state, last seen, presence subscriptions and typing notices. */
public final class PresenceService implements Sessions.PresenceListener {
    private static final int MAX_QUERY = 200;

    private record TypingKey(long deviceId, long conversationId) {}

    private final StoreReads store;
    private final Ledger ledger;
    private final Sessions sessions;
    private final Conversations conversations;
    private final Users users;
    private final Blocks blocks;
    private final Privacy privacy;
    private final InstantSource clock;
    private final CoreConfig config;
    private final ConcurrentHashMap<Long, Long> lastSeen = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Set<Sink>> subscribers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TypingKey, Long> lastTyping = new ConcurrentHashMap<>();

    public PresenceService(StoreReads store, Ledger ledger, Sessions sessions, Conversations conversations,
                           Users users, Blocks blocks, Privacy privacy, InstantSource clock, CoreConfig config) {
        this.store = store;
        this.ledger = ledger;
        this.sessions = sessions;
        this.conversations = conversations;
        this.users = users;
        this.blocks = blocks;
        this.privacy = privacy;
        this.clock = clock;
        this.config = config;
        sessions.setPresenceListener(this);
    }

    /** Forwards a typing notice to the other members' devices, at most one per interval per device. */
    public void typing(Principal caller, long conversationId, boolean stopped) {
        Principal.require(caller);
        Conversations.Membership ms = conversations.requireMember(caller, conversationId);
        ConversationState state = ms.state();
        if (state.header().kind() == dev.tern.core.store.ConversationKind.CHANNEL) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "typing is not shown in channels");
        }
        long now = clock.millis();
        TypingKey key = new TypingKey(caller.deviceId(), conversationId);
        Long prev = lastTyping.get(key);
        if (!stopped && prev != null && now - prev < config.typingInterval().toMillis()) {
            return;
        }
        lastTyping.put(key, now);
        Push push = new Push.Typing(conversationId, caller.userId(), caller.username(), stopped);
        // Online members only: a large group's typing notice does not walk every member.
        sessions.forEachOnline(state.members(), member -> {
            if (member != caller.userId() && !blocks.eitherBlocks(member, caller.userId())) {
                sessions.toUser(member, push, 0);
            }
        });
    }

    /** Presence of the named users as the caller may see it; optionally subscribes {@code sink} to changes. */
    public List<PresenceView> query(Principal caller, List<String> usernames, boolean subscribe, Sink sink) {
        Principal.require(caller);
        if (usernames.size() > MAX_QUERY) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "at most 200 usernames per query");
        }
        List<PresenceView> out = new java.util.ArrayList<>(usernames.size());
        Set<Long> mine = null;
        for (String name : usernames) {
            Optional<UserRecord> user = users.byName(name);
            if (user.isPresent() && mine == null) {
                mine = new HashSet<>(store.conversationsOf(caller.userId()));
            }
            if (user.isEmpty() || !visible(caller.userId(), user.get().id(), mine)) {
                out.add(stranger(name));
                continue;
            }
            long id = user.get().id();
            // A user who hides their last seen from the caller reads like a stranger: offline, never seen.
            out.add(privacy.lastSeenVisible(id, caller.userId()) ? presence(id, user.get().username())
                    : stranger(name));
            if (subscribe && sink != null) {
                subscribers.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(sink);
            }
        }
        return out;
    }

    /** What the caller learns of a user they may not see (or who does not exist): the name they asked. */
    private static PresenceView stranger(String name) {
        return new PresenceView(0, name, false, 0);
    }

    /** Drops a closed connection's subscriptions. */
    public void unsubscribe(Sink sink) {
        subscribers.values().forEach(s -> s.remove(sink));
    }

    @Override
    public void online(long userId) {
        announce(userId);
    }

    @Override
    public void offline(long userId) {
        long now = clock.millis();
        lastSeen.put(userId, now);
        try {
            ledger.submit(Ledger.Scope.user(userId), () -> Prepared.of(List.of(new LastSeenRecord(userId, now)), true));
        } catch (Failure e) {
            // Shutting down: last seen is best effort.
        }
        announce(userId);
    }

    /**
     * Tells the user's subscribers. Visibility is checked again for each: a subscriber who no longer
     * shares a conversation with the user (left, removed) loses the subscription instead of the push.
     */
    private void announce(long userId) {
        Set<Sink> subs = subscribers.getOrDefault(userId, Collections.emptySet());
        if (subs.isEmpty()) {
            return;
        }
        Push push = new Push.PresenceChanged(presence(userId, users.nameOf(userId)));
        Set<Long> theirs = new HashSet<>(store.conversationsOf(userId));
        for (Sink s : subs) {
            long viewer = s.userId();
            if (viewer != 0 && visible(userId, viewer, theirs)) {
                if (privacy.lastSeenVisible(userId, viewer)) {
                    s.push(push); // hidden last seen: the subscription stays, the change is not told
                }
            } else {
                subs.remove(s);
            }
        }
    }

    private PresenceView presence(long userId, String username) {
        boolean online = sessions.online(userId);
        long seen = online ? clock.millis() : lastSeen.computeIfAbsent(userId, store::lastSeen);
        return new PresenceView(userId, username, online, seen);
    }

    private boolean visible(long viewer, long target, Set<Long> viewerConversations) {
        if (viewer == target) {
            return true;
        }
        if (blocks.eitherBlocks(viewer, target)) {
            return false; // blocking hides presence both ways
        }
        for (long c : store.conversationsOf(target)) {
            // A channel's subscribers are strangers to each other: sharing one shows no presence.
            if (viewerConversations.contains(c) && conversations.get(c)
                    .map(s -> s.header().kind() != dev.tern.core.store.ConversationKind.CHANNEL).orElse(false)) {
                return true;
            }
        }
        return false;
    }
}
