package dev.tern.core.group;

import dev.tern.core.Await;
import dev.tern.core.CoreConfig;
import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.core.Principal;
import dev.tern.core.auth.Users;
import dev.tern.core.inbox.Dialogs;
import dev.tern.core.ledger.ConversationState;
import dev.tern.core.ledger.Conversations;
import dev.tern.core.ledger.Ledger;
import dev.tern.core.ledger.Prepared;
import dev.tern.core.ledger.Timeline;
import dev.tern.core.limits.Limits;
import dev.tern.core.store.BanRecord;
import dev.tern.core.store.ConversationKind;
import dev.tern.core.store.ConversationRecord;
import dev.tern.core.store.DeleteBan;
import dev.tern.core.store.DeleteMember;
import dev.tern.core.store.DialogRecord;
import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.MemberRole;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.ReadMarkerRecord;
import dev.tern.core.store.StoreReads;
import dev.tern.core.store.UserRecord;
import dev.tern.core.view.Committed;
import dev.tern.core.view.ConversationView;
import dev.tern.core.view.DialogView;
import dev.tern.core.view.MemberView;
import dev.tern.core.view.MembersPage;
import dev.tern.core.view.ServiceEvent;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Group lifecycle and membership. Every change is a service message in the group's timeline, so
 * members see it in order with the messages around it, and a newcomer's history starts at it.
 *
 * <p>Eight collaborators besides the clock and the config, because admitting a member touches each:
 * the kernel and its state (ledger, conversations, timeline), who the member is (users), whether
 * they were banned (store), the creation rate (limits), the newcomer's dialog (dialogs) and the
 * memory of retried creations (creations). Reads (members, info) stay here since they share the
 * role checks.
 */
public final class Groups {
    private static final int MAX_TITLE = 128;

    private static final int MAX_MEMBERS_PAGE = 500;

    private final StoreReads store;
    private final Ledger ledger;
    private final Conversations conversations;
    private final Users users;
    private final Timeline timeline;
    private final Limits limits;
    private final InstantSource clock;
    private final CoreConfig config;
    private final Dialogs dialogs;
    private final Creations creations;

    public Groups(StoreReads store, Ledger ledger, Conversations conversations, Users users,
                  Timeline timeline, Limits limits, Dialogs dialogs, Creations creations, InstantSource clock,
                  CoreConfig config) {
        this.dialogs = dialogs;
        this.creations = creations;
        this.store = store;
        this.limits = limits;
        this.ledger = ledger;
        this.conversations = conversations;
        this.users = users;
        this.timeline = timeline;
        this.clock = clock;
        this.config = config;
    }

    /** Creates a group; a retry under the same {@code client_id} gets the first group (see {@link Creations}). */
    public CompletableFuture<Committed> create(Principal caller, NewGroup req) {
        Principal.require(caller);
        return creations.once(caller, req.clientId(), () -> createNew(caller, req));
    }

    private CompletableFuture<Committed> createNew(Principal caller, NewGroup req) {
        String title = req.title().strip();
        if (title.isEmpty() || title.length() > MAX_TITLE) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "title must be 1-128 characters");
        }
        Set<Long> memberIds = new LinkedHashSet<>();
        memberIds.add(caller.userId());
        for (String name : req.members()) {
            memberIds.add(users.byName(name)
                    .orElseThrow(() -> new Failure(ErrorCode.USER_NOT_FOUND, "no such user: " + name)).id());
        }
        if (memberIds.size() > config.maxGroupMembers()) {
            throw new Failure(ErrorCode.GROUP_FULL, "a group holds at most " + config.maxGroupMembers() + " members");
        }
        limits.createGroup(caller); // after validation: a request refused as invalid uses no allowance
        ledger.preload(Ledger.IdSpace.CONVERSATION);
        memberIds.forEach(u -> ledger.preloadUser(u));
        long now = clock.millis();
        return ledger.submit(Ledger.Scope.ids(Ledger.IdSpace.CONVERSATION), () -> {
            List<Mutation> batch = new ArrayList<>();
            long id = ledger.newId(Ledger.IdSpace.CONVERSATION, batch);
            ConversationRecord header = new ConversationRecord(id, ConversationKind.GROUP, title, now)
                    .withBroadcast(memberIds.size() > config.broadcastThreshold());
            batch.add(header);
            Map<Long, MemberRecord> members = new LinkedHashMap<>();
            for (long u : memberIds) {
                MemberRecord m = new MemberRecord(id, u, u == caller.userId() ? MemberRole.OWNER : MemberRole.MEMBER, 1);
                members.put(u, m);
                batch.add(m);
            }
            conversations.put(new ConversationState(header, members));
            ServiceEvent event = ServiceEvent.of(ServiceEvent.Type.GROUP_CREATED).withTitle(title);
            return Creations.remembered(caller, req.clientId(), service(caller, header, event, memberIds, batch, now),
                    now);
        });
    }

    /** Adds a member as MEMBER or ADMIN (anything else, null too, is INVALID_ARGUMENT); only the owner adds admins. */
    public CompletableFuture<Committed> addMember(Principal caller, long conversationId, String username,
                                                  MemberRole role) {
        Principal.require(caller);
        UserRecord target = users.byName(username)
                .orElseThrow(() -> new Failure(ErrorCode.USER_NOT_FOUND, "no such user"));
        MemberRole newRole = role;
        if (newRole == null || newRole == MemberRole.OWNER) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "role must be MEMBER or ADMIN");
        }
        warm(caller, conversationId, target.id());
        if (store.banned(conversationId, target.id())) {
            requireGroupAdmin(caller, conversationId); // a member who may not add learns nothing about bans
            throw new Failure(ErrorCode.BANNED, "this user is banned from the group; unban them first");
        }
        long now = clock.millis();
        return ledger.submit(Ledger.Scope.conversation(conversationId), () -> {
            Conversations.Membership ms = requireGroupAdmin(caller, conversationId);
            if (newRole == MemberRole.ADMIN && ms.member().role() != MemberRole.OWNER) {
                throw new Failure(ErrorCode.FORBIDDEN, "only the owner adds admins");
            }
            ServiceEvent event = ServiceEvent.of(ServiceEvent.Type.MEMBER_ADDED).withTarget(target.id(), target.username()).withRole(newRole);
            return admit(caller, ms.state(), target.id(), newRole, event, now);
        });
    }

    /**
     * Under the sequencing lock: makes {@code userId} a member with {@code role}, announced by the
     * service message {@code event} to everyone, the newcomer included. ALREADY_MEMBER or GROUP_FULL
     * when that cannot be. Used by adds and by joins through an invite.
     */
    Prepared<Committed> admit(Principal caller, ConversationState state, long userId, MemberRole role, ServiceEvent event,
                       long now) {
        if (state.members().containsKey(userId)) {
            throw new Failure(ErrorCode.ALREADY_MEMBER, "already a member");
        }
        boolean channel = state.header().kind() == ConversationKind.CHANNEL;
        int max = channel ? config.maxChannelMembers() : config.maxGroupMembers();
        if (state.members().size() >= max) {
            throw new Failure(ErrorCode.GROUP_FULL, "this " + (channel ? "channel" : "group") + " holds at most "
                    + max + " members");
        }
        List<Mutation> batch = new ArrayList<>();
        if (channel) {
            return subscribe(caller, state, userId, role, batch);
        }
        // A broadcast group logs the change only for the actor and the newcomer: no copy of every member.
        Set<Long> recipients = new LinkedHashSet<>(timeline.broadcast(state) ? List.of(caller.userId())
                : state.members().keySet());
        recipients.add(userId);
        Prepared<Committed> p = service(caller, state.header(), event, recipients, batch, now);
        // The newcomer joins at the seq of the service message that lets them in.
        MemberRecord m = new MemberRecord(state.id(), userId, role, p.result().seq());
        batch.add(m);
        ConversationState after = state.with(m);
        if (!after.header().broadcast() && after.members().size() > config.broadcastThreshold()) {
            // Crossing the threshold is for good: see ConversationRecord.broadcast.
            ConversationRecord header = after.header().withBroadcast(true);
            batch.add(header);
            after = after.withHeader(header);
        }
        conversations.put(after);
        return p;
    }

    /**
     * A channel subscription: no service message (a channel's timeline carries posts, not a line per
     * subscriber), so it costs the same writes however big the channel is. The subscriber may read the
     * whole channel; their read marker starts at its newest post, so its past is not "unread". Their
     * devices learn of it from a DIALOG entry.
     */
    private Prepared<Committed> subscribe(Principal caller, ConversationState state, long userId, MemberRole role,
                                   List<Mutation> batch) {
        MemberRecord m = new MemberRecord(state.id(), userId, role, 1);
        batch.add(m);
        long top = ledger.lastSeq(state.id());
        batch.add(new ReadMarkerRecord(userId, state.id(), top));
        conversations.putReadMarker(userId, state.id(), top);
        ConversationState after = state.with(m);
        conversations.put(after);
        DialogRecord settings = conversations.dialog(userId, state.id());
        return forCaller(caller, userId, dialogs.changed(userId, userId == caller.userId() ? caller.deviceId() : 0,
                state.id(), dialogs.settings(userId, after, settings), batch));
    }

    /** A DIALOG entry's Committed carries the pts of the user whose log has it: only when that is the caller. */
    private static Prepared<Committed> forCaller(Principal caller, long userId, Prepared<Committed> p) {
        return userId == caller.userId() ? p : new Prepared<>(p.mutations(),
                Committed.in(p.result().conversationId()), p.afterDurable());
    }

    public CompletableFuture<Committed> removeMember(Principal caller, long conversationId, String username) {
        return removeMember(caller, conversationId, username, false);
    }

    /** Removes a member; with {@code ban} also keeps them from being added again or joining by invite. */
    public CompletableFuture<Committed> removeMember(Principal caller, long conversationId, String username, boolean ban) {
        Principal.require(caller);
        UserRecord target = users.byName(username)
                .orElseThrow(() -> new Failure(ErrorCode.USER_NOT_FOUND, "no such user"));
        if (target.id() == caller.userId()) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "use leave to leave a group");
        }
        warm(caller, conversationId, target.id());
        long now = clock.millis();
        return ledger.submit(Ledger.Scope.conversation(conversationId), () -> {
            Conversations.Membership ms = requireGroupAdmin(caller, conversationId);
            MemberRecord victim = ms.state().members().get(target.id());
            if (victim == null) {
                throw new Failure(ErrorCode.USER_NOT_FOUND, "not a member of this group");
            }
            if (victim.role().atLeast(ms.member().role())) {
                throw new Failure(ErrorCode.FORBIDDEN, "you cannot remove a member whose role is not below yours");
            }
            ServiceEvent event = ServiceEvent.of(ServiceEvent.Type.MEMBER_REMOVED).withTarget(target.id(), target.username()).withBanned(ban);
            Prepared<Committed> p = depart(caller, ms.state(), target.id(), event, now);
            if (ban) {
                p.mutations().add(new BanRecord(conversationId, target.id(), caller.userId(), now));
            }
            return p;
        });
    }

    public CompletableFuture<Committed> leave(Principal caller, long conversationId) {
        Principal.require(caller);
        warm(caller, conversationId, caller.userId());
        long now = clock.millis();
        return ledger.submit(Ledger.Scope.conversation(conversationId), () -> {
            Conversations.Membership ms = conversations.requireMember(caller, conversationId);
            if (ms.state().header().kind() == ConversationKind.DIRECT) {
                throw new Failure(ErrorCode.INVALID_ARGUMENT, "only groups and channels can be left");
            }
            ServiceEvent event = ServiceEvent.of(ServiceEvent.Type.MEMBER_LEFT).withTarget(caller.userId(), caller.username());
            return depart(caller, ms.state(), caller.userId(), event, now);
        });
    }

    /** Lifts a ban; owner and admins. Unbanning someone who is not banned changes nothing. */
    public CompletableFuture<Committed> unban(Principal caller, long conversationId, String username) {
        Principal.require(caller);
        UserRecord target = users.byName(username)
                .orElseThrow(() -> new Failure(ErrorCode.USER_NOT_FOUND, "no such user"));
        requireGroupAdmin(caller, conversationId);
        return ledger.submit(Ledger.Scope.conversation(conversationId), () -> {
            requireGroupAdmin(caller, conversationId);
            return Prepared.of(List.of(new DeleteBan(conversationId, target.id())),
                    Committed.in(conversationId));
        });
    }

    /** A page of members in user-id order after {@code afterUserId}. */
    public MembersPage members(Principal caller, long conversationId, long afterUserId, int limit) {
        Principal.require(caller);
        int n = limit == 0 ? 100 : limit;
        if (n < 0 || n > MAX_MEMBERS_PAGE) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "limit must be 1-" + MAX_MEMBERS_PAGE);
        }
        Conversations.Membership ms = conversations.requireMember(caller, conversationId);
        ConversationState state = ms.state();
        if (state.header().kind() == ConversationKind.CHANNEL && !ms.member().role().atLeast(MemberRole.ADMIN)) {
            throw new Failure(ErrorCode.FORBIDDEN, "only admins see a channel's subscribers");
        }
        // Pages come from the store's (conversation, user) order: no sort of a big member map per page.
        List<MemberRecord> after = store.membersAfter(conversationId, afterUserId, n + 1);
        List<MemberView> out = new ArrayList<>(Math.min(n, after.size()));
        for (MemberRecord m : after.subList(0, Math.min(n, after.size()))) {
            out.add(view(m));
        }
        return new MembersPage(out, after.size() > n);
    }

    public ConversationView info(Principal caller, long conversationId) {
        Principal.require(caller);
        ConversationState state = conversations.requireMember(caller, conversationId).state();
        boolean broadcast = timeline.broadcast(state);
        long lastSeq = Await.result(ledger.durableValue(Ledger.Scope.conversation(conversationId),
                () -> ledger.lastSeq(conversationId)));
        List<MemberView> members = new ArrayList<>();
        if (!broadcast) { // thousands of members: GetMembers pages them
            for (MemberRecord m : state.members().values()) {
                members.add(view(m));
            }
        }
        ConversationRecord h = state.header();
        return new ConversationView(state.id(), h.kind(), broadcast, state.members().size(), h.publicName(),
                h.title(), h.createdAtMs(), h.pinned(), h.description(), h.adminsOnly(), h.slowModeSeconds(),
                lastSeq, members);
    }

    /** Removes {@code leaver}; the service message reaches them too, so their devices learn it. */
    private Prepared<Committed> depart(Principal caller, ConversationState state, long leaver, ServiceEvent event, long now) {
        List<Mutation> batch = new ArrayList<>();
        boolean channel = state.header().kind() == ConversationKind.CHANNEL;
        MemberRecord gone = state.members().get(leaver); // before the removal: a live member map changes in place
        // Chosen (or refused) before any number is taken: a refusal after that would leave a gap in a log.
        MemberRecord heir = gone.role() == MemberRole.OWNER && state.members().size() > 1 ? heir(state, leaver) : null;
        // A channel records no departure in its timeline; the leaver's devices learn it from a DIALOG entry.
        Prepared<Committed> p = channel
                ? forCaller(caller, leaver, dialogs.changed(leaver, leaver == caller.userId() ? caller.deviceId() : 0,
                        state.id(), DialogView.left(state.id()), batch))
                : service(caller, state.header(), event, state.members().keySet(), batch, now);
        batch.add(new DeleteMember(state.id(), leaver));
        ConversationState after = state.without(leaver);
        if (heir != null) {
            MemberRecord promoted = new MemberRecord(heir.conversationId(), heir.userId(), MemberRole.OWNER,
                    heir.joinedSeq());
            batch.add(promoted);
            after = after.with(promoted);
        }
        conversations.put(after);
        return p;
    }

    /**
     * Who owns the conversation after its owner leaves: in a group the longest-standing admin, else
     * the longest-standing member; in a channel an admin (subscribers all joined at seq 1, and handing
     * a channel with its subscriber list to a stranger is not acceptable), else FORBIDDEN.
     */
    private static MemberRecord heir(ConversationState state, long leaver) {
        boolean channel = state.header().kind() == ConversationKind.CHANNEL;
        return state.members().values().stream()
                .filter(m -> m.userId() != leaver && (!channel || m.role() == MemberRole.ADMIN))
                .min(Comparator.comparing((MemberRecord m) -> m.role() != MemberRole.ADMIN)
                        .thenComparingLong(MemberRecord::joinedSeq).thenComparingLong(MemberRecord::userId))
                .orElseThrow(() -> new Failure(ErrorCode.FORBIDDEN,
                        "a channel's owner leaves after handing it over (setRole OWNER) or promoting an admin"));
    }


    private Prepared<Committed> service(Principal caller, ConversationRecord header, ServiceEvent event,
                                 Iterable<Long> recipients, List<Mutation> batch, long now) {
        return timeline.service(caller, header, event, recipients, batch, now);
    }

    private Conversations.Membership requireGroupAdmin(Principal caller, long conversationId) {
        return conversations.requireGroupAdmin(caller, conversationId, "change membership");
    }

    /** Loads what the preparer will need, outside the lock. */
    private void warm(Principal caller, long conversationId, long otherUser) {
        timeline.preload(conversations.requireMember(caller, conversationId).state(), caller.userId());
        ledger.preloadUser(otherUser);
    }

    private MemberView view(MemberRecord m) {
        return new MemberView(m.userId(), users.nameOf(m.userId()), m.role(), m.joinedSeq());
    }
}
