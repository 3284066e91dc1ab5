package dev.tern.gateway;

import dev.tern.core.people.Blocks;
import dev.tern.core.people.Privacy;
import dev.tern.core.presence.PresenceService;
import dev.tern.core.search.Search;
import dev.tern.gateway.wire.Inputs;
import dev.tern.gateway.wire.Results;
import dev.tern.protocol.v1.ClientFrame.BodyCase;

import static dev.tern.gateway.Handler.committed;
import static dev.tern.gateway.Handler.done;
import static dev.tern.gateway.Handler.later;
import static dev.tern.gateway.Handler.now;

/** People: contacts, blocks, privacy, typing and presence, and finding messages and users. */
final class PeopleHandlers {
    private final Blocks blocks;
    private final Privacy privacy;
    private final PresenceService presence;
    private final Search search;

    PeopleHandlers(Blocks blocks, Privacy privacy, PresenceService presence, Search search) {
        this.blocks = blocks;
        this.privacy = privacy;
        this.presence = presence;
        this.search = search;
    }

    void register(RequestTable table) {
        table.on(BodyCase.BLOCK, c -> committed(blocks.block(c.principal(), c.frame().getBlock().getUsername(),
                        c.frame().getBlock().getUnblock())))
                .on(BodyCase.GET_BLOCKED, c -> now(blocks.blocked(c.principal()), (f, v) -> f.setBlockedResult(Results.blocked(v))))
                .on(BodyCase.CONTACT, c -> committed(privacy.contact(c.principal(), c.frame().getContact().getUsername(),
                        c.frame().getContact().getRemove())))
                .on(BodyCase.GET_CONTACTS, c -> now(privacy.contacts(c.principal()), (f, v) -> f.setContactsResult(Results.contacts(v))))
                .on(BodyCase.SET_PRIVACY, c -> later(privacy.set(c.principal(),
                        Results.visibility(c.frame().getSetPrivacy().getLastSeen()),
                        Results.visibility(c.frame().getSetPrivacy().getReadReceipts())),
                        (f, v) -> f.setPrivacy(Results.privacy(v))))
                .on(BodyCase.GET_PRIVACY, c -> now(privacy.get(c.principal()), (f, v) -> f.setPrivacy(Results.privacy(v))))
                .on(BodyCase.TYPING, c -> {
                    presence.typing(c.principal(), c.frame().getTyping().getConversationId(),
                            c.frame().getTyping().getStopped());
                    return done();
                })
                .on(BodyCase.PRESENCE, c -> now(presence.query(c.principal(),
                        c.frame().getPresence().getUsernamesList(), c.frame().getPresence().getSubscribe(), c.conn()),
                        (f, v) -> f.setPresenceResult(Results.presences(v))))
                .on(BodyCase.SEARCH_MESSAGES, c -> now(search.messages(c.principal(),
                        Inputs.messageQuery(c.frame().getSearchMessages())),
                        (f, v) -> f.setSearchResult(Results.search(v))))
                .on(BodyCase.SEARCH_USERS, c -> now(search.users(c.principal(),
                        c.frame().getSearchUsers().getQuery(), c.frame().getSearchUsers().getLimit()),
                        (f, v) -> f.setUsersResult(Results.users(v))));
    }
}
