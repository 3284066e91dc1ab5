package dev.tern.core.group;

import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.core.Principal;
import dev.tern.core.ledger.ConversationState;
import dev.tern.core.ledger.Conversations;
import dev.tern.core.ledger.Ledger;
import dev.tern.core.ledger.Prepared;
import dev.tern.core.ledger.Timeline;
import dev.tern.core.limits.Limits;
import dev.tern.core.store.ChannelNameRecord;
import dev.tern.core.store.ConversationKind;
import dev.tern.core.store.ConversationRecord;
import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.MemberRole;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.StoreReads;
import dev.tern.core.view.ChannelView;
import dev.tern.core.view.Committed;
import dev.tern.core.view.ServiceEvent;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Channels: broadcast conversations where the owner and admins post and subscribers read, always
 * fanned out on read (see {@link Timeline}). A public channel has a unique name anyone may join
 * by and find by prefix; a private one is joined by invite link ({@link Invites}). Subscriptions
 * go through {@link Groups#admit}, which records them without a service message.
 */
public final class Channels {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{4,31}");
    private static final int MAX_SEARCH = 50;

    private final StoreReads store;
    private final Ledger ledger;
    private final Conversations conversations;
    private final Timeline timeline;
    private final Groups groups;
    private final Limits limits;
    private final Creations creations;
    private final InstantSource clock;

    public Channels(StoreReads store, Ledger ledger, Conversations conversations, Timeline timeline, Groups groups,
                    Limits limits, Creations creations, InstantSource clock) {
        this.creations = creations;
        this.store = store;
        this.ledger = ledger;
        this.conversations = conversations;
        this.timeline = timeline;
        this.groups = groups;
        this.limits = limits;
        this.clock = clock;
    }

    /** Creates a channel owned by the caller; NAME_TAKEN when its public name is someone else's. */
    public CompletableFuture<Committed> create(Principal caller, NewChannel req) {
        Principal.require(caller);
        return creations.once(caller, req.clientId(), () -> createNew(caller, req));
    }

    private CompletableFuture<Committed> createNew(Principal caller, NewChannel req) {
        String title = req.title().strip();
        if (title.isEmpty() || title.length() > GroupSettings.MAX_TITLE) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "title must be 1-128 characters");
        }
        if (req.description().length() > GroupSettings.MAX_DESCRIPTION) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "description must be at most 1024 characters");
        }
        String name = req.publicName().isEmpty() ? "" : canonical(req.publicName());
        if (!name.isEmpty() && conversations.channelByName(name).isPresent()) {
            throw taken();
        }
        limits.createGroup(caller); // after validation: a refused request uses no allowance
        ledger.preload(Ledger.IdSpace.CONVERSATION);
        ledger.preloadUser(caller.userId());
        long now = clock.millis();
        return ledger.submit(Ledger.Scope.ids(Ledger.IdSpace.CONVERSATION), () -> {
            if (!name.isEmpty() && conversations.channelByName(name).isPresent()) {
                throw taken(); // claimed since the check above, perhaps in a batch not yet durable
            }
            List<Mutation> batch = new ArrayList<>();
            long id = ledger.newId(Ledger.IdSpace.CONVERSATION, batch);
            ConversationRecord header = new ConversationRecord(id, ConversationKind.CHANNEL, title, now, List.of(),
                    req.description(), true, 0, name);
            batch.add(header);
            MemberRecord owner = new MemberRecord(id, caller.userId(), MemberRole.OWNER, 1);
            batch.add(owner);
            if (!name.isEmpty()) {
                batch.add(new ChannelNameRecord(name, id));
                conversations.putChannelName(name, id);
            }
            conversations.put(new ConversationState(header, Map.of(owner.userId(), owner)));
            ServiceEvent event = ServiceEvent.of(ServiceEvent.Type.CHANNEL_CREATED).withTitle(title);
            return Creations.remembered(caller, req.clientId(),
                    timeline.service(caller, header, event, List.of(caller.userId()), batch, now), now);
        });
    }

    /** Subscribes the caller to the public channel {@code publicName}. */
    public CompletableFuture<Committed> join(Principal caller, String publicName) {
        Principal.require(caller);
        String name = publicName == null ? "" : publicName.toLowerCase(Locale.ROOT);
        long id = (NAME.matcher(name).matches() ? conversations.channelByName(name) : java.util.OptionalLong.empty())
                .orElseThrow(() -> new Failure(ErrorCode.CHANNEL_NOT_FOUND, "no public channel with that name"));
        if (store.banned(id, caller.userId())) {
            throw new Failure(ErrorCode.BANNED, "you are banned from this channel");
        }
        ConversationState known = conversations.get(id)
                .orElseThrow(() -> new Failure(ErrorCode.CHANNEL_NOT_FOUND, "no public channel with that name"));
        timeline.preload(known, caller.userId());
        long now = clock.millis();
        return ledger.submit(Ledger.Scope.conversation(known.id()), () -> {
            ConversationState state = conversations.get(id).orElseThrow();
            ServiceEvent event = ServiceEvent.of(ServiceEvent.Type.MEMBER_JOINED).withTarget(caller.userId(), caller.username());
            Prepared<Committed> p = groups.admit(caller, state, caller.userId(), MemberRole.MEMBER, event, now);
            return p;
        });
    }

    /** Public channels whose name starts with {@code prefix}, in name order. */
    public List<ChannelView> search(Principal caller, String prefix, int limit) {
        Principal.require(caller);
        int n = limit == 0 ? 20 : limit;
        if (n < 0 || n > MAX_SEARCH) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "limit must be 1-" + MAX_SEARCH);
        }
        String p = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT);
        if (p.length() < 2 || p.length() > 32) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "prefix must be 2-32 characters");
        }
        List<ChannelView> out = new ArrayList<>();
        for (ChannelNameRecord c : store.channelNames(p, n)) {
            conversations.get(c.conversationId()).ifPresent(s -> out.add(new ChannelView(s.id(), c.canonicalName(),
                    s.header().title(), s.header().description(), s.members().size())));
        }
        return out;
    }

    private static String canonical(String raw) {
        String name = raw.toLowerCase(Locale.ROOT);
        if (!NAME.matcher(name).matches()) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT,
                    "public_name must be 5-32 characters of a-z, 0-9 and '_', starting with a letter");
        }
        return name;
    }

    private static Failure taken() {
        return new Failure(ErrorCode.NAME_TAKEN, "that channel name is taken");
    }
}
