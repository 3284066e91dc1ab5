package dev.tern.core.group;

import dev.tern.core.ledger.ConversationState;
import dev.tern.core.ledger.Conversations;
import dev.tern.core.ledger.Timeline;
import dev.tern.core.Failure;
import dev.tern.core.Principal;
import dev.tern.core.ledger.Ledger;
import dev.tern.core.ledger.Prepared;
import dev.tern.core.limits.Limits;
import dev.tern.core.store.ChannelNameRecord;
import dev.tern.core.store.ConversationKind;
import dev.tern.core.store.ConversationRecord;
import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.MemberRole;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.StoreReads;
import dev.tern.protocol.v1.ChannelRef;
import dev.tern.protocol.v1.ChannelsResult;
import dev.tern.protocol.v1.CreateChannel;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Ok;
import dev.tern.protocol.v1.ServiceEvent;

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
    public CompletableFuture<Ok> create(Principal caller, CreateChannel req) {
        Principal.require(caller);
        return creations.once(caller, req.getClientId(), () -> createNew(caller, req));
    }

    private CompletableFuture<Ok> createNew(Principal caller, CreateChannel req) {
        String title = req.getTitle().strip();
        if (title.isEmpty() || title.length() > GroupSettings.MAX_TITLE) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "title must be 1-128 characters");
        }
        if (req.getDescription().length() > GroupSettings.MAX_DESCRIPTION) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "description must be at most 1024 characters");
        }
        String name = req.getPublicName().isEmpty() ? "" : canonical(req.getPublicName());
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
                    req.getDescription(), true, 0, name);
            batch.add(header);
            MemberRecord owner = new MemberRecord(id, caller.userId(), MemberRole.OWNER, 1);
            batch.add(owner);
            if (!name.isEmpty()) {
                batch.add(new ChannelNameRecord(name, id));
                conversations.putChannelName(name, id);
            }
            conversations.put(new ConversationState(header, Map.of(owner.userId(), owner)));
            ServiceEvent event = ServiceEvent.newBuilder().setType(ServiceEvent.Type.CHANNEL_CREATED).setTitle(title)
                    .build();
            return Creations.remembered(caller, req.getClientId(),
                    timeline.service(caller, header, event, List.of(caller.userId()), batch, now), now);
        });
    }

    /** Subscribes the caller to the public channel {@code publicName}. */
    public CompletableFuture<Ok> join(Principal caller, String publicName) {
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
            ServiceEvent event = ServiceEvent.newBuilder().setType(ServiceEvent.Type.MEMBER_JOINED)
                    .setTargetUserId(caller.userId()).setTargetUsername(caller.username()).build();
            Prepared<Ok> p = groups.admit(caller, state, caller.userId(), MemberRole.MEMBER, event, now);
            return p;
        });
    }

    /** Public channels whose name starts with {@code prefix}, in name order. */
    public ChannelsResult search(Principal caller, String prefix, int limit) {
        Principal.require(caller);
        int n = limit == 0 ? 20 : limit;
        if (n < 0 || n > MAX_SEARCH) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "limit must be 1-" + MAX_SEARCH);
        }
        String p = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT);
        if (p.length() < 2 || p.length() > 32) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "prefix must be 2-32 characters");
        }
        ChannelsResult.Builder out = ChannelsResult.newBuilder();
        for (ChannelNameRecord c : store.channelNames(p, n)) {
            conversations.get(c.conversationId()).ifPresent(s -> out.addChannels(ChannelRef.newBuilder()
                    .setConversationId(s.id()).setPublicName(c.canonicalName()).setTitle(s.header().title())
                    .setDescription(s.header().description()).setMemberCount(s.members().size())));
        }
        return out.build();
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
