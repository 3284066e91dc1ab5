package dev.tern.core.group;

import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.core.Principal;
import dev.tern.core.auth.Users;
import dev.tern.core.ledger.ConversationState;
import dev.tern.core.ledger.Conversations;
import dev.tern.core.ledger.Ledger;
import dev.tern.core.ledger.Prepared;
import dev.tern.core.ledger.Timeline;
import dev.tern.core.store.ConversationKind;
import dev.tern.core.store.ConversationRecord;
import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.MemberRole;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.UserRecord;
import dev.tern.core.view.Committed;
import dev.tern.core.view.ServiceEvent;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A group's title, description, posting rules (admins only, slow mode) and roles. Every change is
 * a service message, made under the sequencing lock with the header or member record it changes.
 * Posting rules are enforced by {@link #checkPosting}, called by sends under the same lock.
 */
public final class GroupSettings {
    static final int MAX_TITLE = 128;
    static final int MAX_DESCRIPTION = 1024;
    static final int MAX_SLOW_MODE_SECONDS = 86_400;

    private final Ledger ledger;
    private final Conversations conversations;
    private final Users users;
    private final Timeline timeline;
    private final InstantSource clock;
    // (conversation, user) -> time of the member's last send, for groups in slow mode only. In memory:
    // after a restart a member may send once more before the interval applies again.
    private final Map<Long, Map<Long, Long>> lastPost = new ConcurrentHashMap<>();

    public GroupSettings(Ledger ledger, Conversations conversations, Users users, Timeline timeline,
                         InstantSource clock) {
        this.ledger = ledger;
        this.conversations = conversations;
        this.users = users;
        this.timeline = timeline;
        this.clock = clock;
    }

    /** Changes what {@code req} sets; owner and admins only. A request that changes nothing answers without a pts. */
    public CompletableFuture<Committed> update(Principal caller, GroupChange req) {
        Principal.require(caller);
        long conversationId = req.conversationId();
        String title = req.title() != null ? req.title().strip() : null;
        if (title != null && (title.isEmpty() || title.length() > MAX_TITLE)) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "title must be 1-" + MAX_TITLE + " characters");
        }
        if (req.description() != null && req.description().length() > MAX_DESCRIPTION) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "description must be at most " + MAX_DESCRIPTION + " characters");
        }
        if (req.slowModeSeconds() != null && (req.slowModeSeconds() < 0 || req.slowModeSeconds() > MAX_SLOW_MODE_SECONDS)) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "slow_mode_seconds must be 0-" + MAX_SLOW_MODE_SECONDS);
        }
        timeline.preload(conversations.requireMember(caller, conversationId).state(), caller.userId());
        long now = clock.millis();
        return ledger.submit(Ledger.Scope.conversation(conversationId), () -> {
            Conversations.Membership ms = conversations.requireGroupAdmin(caller, conversationId, "change the group");
            ConversationRecord before = ms.state().header();
            ConversationRecord after = before;
            List<ServiceEvent> events = new ArrayList<>();
            if (title != null && !title.equals(before.title())) {
                after = after.withTitle(title);
                events.add(ServiceEvent.of(ServiceEvent.Type.TITLE_CHANGED).withTitle(title));
            }
            if (req.description() != null && !req.description().equals(before.description())) {
                after = after.withDescription(req.description());
                events.add(ServiceEvent.of(ServiceEvent.Type.DESCRIPTION_CHANGED).withDescription(req.description()));
            }
            boolean adminsOnly = req.adminsOnly() != null ? req.adminsOnly() : before.adminsOnly();
            int slow = req.slowModeSeconds() != null ? req.slowModeSeconds() : before.slowModeSeconds();
            if (adminsOnly != before.adminsOnly() || slow != before.slowModeSeconds()) {
                after = after.withPostingRules(adminsOnly, slow);
                events.add(ServiceEvent.of(ServiceEvent.Type.POSTING_RULES_CHANGED).withPostingRules(adminsOnly, slow));
                if (slow == 0) {
                    lastPost.remove(conversationId);
                }
            }
            if (events.isEmpty()) {
                return Prepared.of(List.of(), Committed.in(conversationId));
            }
            List<Mutation> batch = new ArrayList<>();
            batch.add(after);
            conversations.put(ms.state().withHeader(after));
            return services(caller, after, events, ms.state().members().keySet(), batch, now);
        });
    }

    /**
     * Sets a member's role: ADMIN or MEMBER, or OWNER to hand the group over (the caller becomes an
     * admin). The owner only. Setting the role a member has changes nothing.
     */
    public CompletableFuture<Committed> setRole(Principal caller, long conversationId, String username,
                                              MemberRole role) {
        Principal.require(caller);
        UserRecord target = users.byName(username).orElseThrow(() -> new Failure(ErrorCode.USER_NOT_FOUND, "no such user"));
        if (role == null) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "role must be MEMBER, ADMIN or OWNER");
        }
        MemberRole newRole = role;
        timeline.preload(conversations.requireMember(caller, conversationId).state(), caller.userId());
        long now = clock.millis();
        return ledger.submit(Ledger.Scope.conversation(conversationId), () -> {
            Conversations.Membership ms = conversations.requireGroupAdmin(caller, conversationId, "change roles");
            if (ms.member().role() != MemberRole.OWNER) {
                throw new Failure(ErrorCode.FORBIDDEN, "only the owner changes roles");
            }
            MemberRecord member = ms.state().members().get(target.id());
            if (member == null) {
                throw new Failure(ErrorCode.USER_NOT_FOUND, "not a member of this group");
            }
            if (target.id() == caller.userId()) {
                throw new Failure(ErrorCode.INVALID_ARGUMENT, "hand the group over by giving another member OWNER");
            }
            if (member.role() == newRole) {
                return Prepared.of(List.of(), Committed.in(conversationId));
            }
            List<Mutation> batch = new ArrayList<>();
            MemberRecord changed = new MemberRecord(conversationId, target.id(), newRole, member.joinedSeq());
            batch.add(changed);
            ConversationState state = ms.state().with(changed);
            if (newRole == MemberRole.OWNER) {
                MemberRecord formerOwner = new MemberRecord(conversationId, caller.userId(), MemberRole.ADMIN,
                        ms.member().joinedSeq());
                batch.add(formerOwner);
                state = state.with(formerOwner);
            }
            conversations.put(state);
            ServiceEvent event = ServiceEvent.of(ServiceEvent.Type.ROLE_CHANGED).withTarget(target.id(), target.username()).withRole(newRole);
            return timeline.service(caller, state.header(), event, state.members().keySet(), batch, now);
        });
    }

    /**
     * Under the sequencing lock, for a send by {@code member}: refuses it when the group lets only
     * admins post, or when the member's last send was within the slow-mode interval (SLOW_MODE with
     * the time left as the retry hint). Owners and admins are exempt from both.
     */
    public void checkPosting(ConversationState state, MemberRecord member, long nowMs) {
        ConversationRecord h = state.header();
        if (h.kind() == ConversationKind.DIRECT || member.role() != MemberRole.MEMBER) {
            return;
        }
        if (h.kind() == ConversationKind.CHANNEL) {
            throw new Failure(ErrorCode.FORBIDDEN, "only the owner and admins post in a channel");
        }
        if (h.adminsOnly()) {
            throw new Failure(ErrorCode.FORBIDDEN, "only admins post in this group");
        }
        if (h.slowModeSeconds() > 0) {
            Map<Long, Long> last = lastPost.computeIfAbsent(state.id(), k -> new ConcurrentHashMap<>());
            Long at = last.get(member.userId());
            long interval = h.slowModeSeconds() * 1000L;
            if (at != null && nowMs - at < interval) {
                long left = interval - (nowMs - at);
                throw new Failure(ErrorCode.SLOW_MODE, "slow mode: one message per " + h.slowModeSeconds()
                        + " s; retry after " + left + " ms", (int) Math.min(left, Integer.MAX_VALUE));
            }
            last.put(member.userId(), nowMs);
        }
    }

    /**
     * Forgets every member's last send time. Registered to run after a failed write: the sends of the
     * failed batches were never stored, and their authors retry (STORAGE_UNAVAILABLE is retryable);
     * counting them would refuse the retry with SLOW_MODE. Like a restart, it lets a member send once
     * more before the interval applies again.
     */
    public void reset() {
        lastPost.clear();
    }

    /** Several service messages in one batch; the caller's entries are consecutive, the ok spans them. */
    private Prepared<Committed> services(Principal caller, ConversationRecord header, List<ServiceEvent> events,
                                  Iterable<Long> recipients, List<Mutation> batch, long now) {
        List<Prepared<Committed>> made = new ArrayList<>();
        for (ServiceEvent e : events) {
            made.add(timeline.service(caller, header, e, recipients, batch, now));
        }
        Committed first = made.getFirst().result();
        Committed last = made.getLast().result();
        Committed ok = new Committed(last.conversationId(), last.seq(), last.pts(), first.prevPts());
        return new Prepared<>(batch, ok, () -> made.forEach(p -> p.afterDurable().run()));
    }
}
