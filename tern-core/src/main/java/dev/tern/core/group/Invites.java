package dev.tern.core.group;

import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.core.Principal;
import dev.tern.core.auth.Accounts;
import dev.tern.core.ledger.ConversationState;
import dev.tern.core.ledger.Conversations;
import dev.tern.core.ledger.Ledger;
import dev.tern.core.ledger.Prepared;
import dev.tern.core.ledger.Timeline;
import dev.tern.core.store.DeleteInvite;
import dev.tern.core.store.InviteRecord;
import dev.tern.core.store.MemberRole;
import dev.tern.core.store.StoreReads;
import dev.tern.core.view.Committed;
import dev.tern.core.view.InviteLink;
import dev.tern.core.view.ServiceEvent;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Invite links: a random 128-bit token that lets whoever holds it join a group. Like login tickets,
 * only the token's SHA-256 is stored; an unknown and a revoked token get the same answer.
 */
public final class Invites {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_TOKEN = 64;

    private final StoreReads store;
    private final Ledger ledger;
    private final Conversations conversations;
    private final Timeline timeline;
    private final Groups groups;
    private final InstantSource clock;

    public Invites(StoreReads store, Ledger ledger, Conversations conversations,
                   Timeline timeline, Groups groups, InstantSource clock) {
        this.store = store;
        this.ledger = ledger;
        this.conversations = conversations;
        this.timeline = timeline;
        this.groups = groups;
        this.clock = clock;
    }

    /** A new invite token for a group; owner and admins. The token is returned once and stored hashed. */
    public CompletableFuture<InviteLink> create(Principal caller, long conversationId) {
        Principal.require(caller);
        requireAdmin(caller, conversationId);
        byte[] raw = new byte[16];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        InviteRecord record = new InviteRecord(hash(token), conversationId, caller.userId(), clock.millis());
        InviteLink invite = new InviteLink(conversationId, token);
        return ledger.submit(Ledger.Scope.conversation(conversationId), () -> {
            requireAdmin(caller, conversationId);
            return Prepared.of(List.of(record), invite);
        });
    }

    /** Makes a token of this group unusable; owner and admins. */
    public CompletableFuture<Committed> revoke(Principal caller, long conversationId, String token) {
        Principal.require(caller);
        requireAdmin(caller, conversationId);
        byte[] hash = hash(token);
        if (store.invite(hash).filter(i -> i.conversationId() == conversationId).isEmpty()) {
            throw invalid();
        }
        return ledger.submit(Ledger.Scope.conversation(conversationId), () -> {
            requireAdmin(caller, conversationId);
            return Prepared.of(List.of(new DeleteInvite(hash)), Committed.in(conversationId));
        });
    }

    /** Joins the group the token opens, as a member; a MEMBER_JOINED service message tells everyone. */
    public CompletableFuture<Committed> join(Principal caller, String token) {
        Principal.require(caller);
        InviteRecord invite = store.invite(hash(token)).orElseThrow(Invites::invalid);
        long conversationId = invite.conversationId();
        if (store.banned(conversationId, caller.userId())) {
            throw new Failure(ErrorCode.BANNED, "you are banned from this group");
        }
        ConversationState known = conversations.get(conversationId).orElseThrow(Invites::invalid);
        timeline.preload(known, caller.userId());
        long now = clock.millis();
        return ledger.submit(Ledger.Scope.conversation(known.id()), () -> {
            ConversationState state = conversations.get(conversationId).orElseThrow(Invites::invalid);
            ServiceEvent event = ServiceEvent.of(ServiceEvent.Type.MEMBER_JOINED).withTarget(caller.userId(), caller.username());
            return groups.admit(caller, state, caller.userId(), MemberRole.MEMBER, event, now);
        });
    }

    private void requireAdmin(Principal caller, long conversationId) {
        conversations.requireGroupAdmin(caller, conversationId, "manage invite links");
    }

    private static Failure invalid() {
        return new Failure(ErrorCode.INVITE_INVALID, "unknown or revoked invite link");
    }

    private static byte[] hash(String token) {
        if (token.isEmpty() || token.length() > MAX_TOKEN) {
            throw invalid();
        }
        return Accounts.sha256(token);
    }
}
