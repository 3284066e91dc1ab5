package dev.tern.gateway;

import dev.tern.core.people.Blocks;
import dev.tern.core.people.Privacy;
import dev.tern.core.presence.PresenceService;
import dev.tern.core.search.Search;
import dev.tern.protocol.v1.ClientFrame.BodyCase;
import dev.tern.protocol.v1.Ok;
import dev.tern.protocol.v1.ServerFrame;

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
        table.on(BodyCase.BLOCK, c -> later(blocks.block(c.principal(), c.frame().getBlock().getUsername(),
                        c.frame().getBlock().getUnblock()), ServerFrame.Builder::setOk))
                .on(BodyCase.GET_BLOCKED, c -> now(blocks.blocked(c.principal()), ServerFrame.Builder::setBlockedResult))
                .on(BodyCase.CONTACT, c -> later(privacy.contact(c.principal(), c.frame().getContact().getUsername(),
                        c.frame().getContact().getRemove()), ServerFrame.Builder::setOk))
                .on(BodyCase.GET_CONTACTS, c -> now(privacy.contacts(c.principal()), ServerFrame.Builder::setContactsResult))
                .on(BodyCase.SET_PRIVACY, c -> later(privacy.set(c.principal(), c.frame().getSetPrivacy()),
                        ServerFrame.Builder::setPrivacy))
                .on(BodyCase.GET_PRIVACY, c -> now(privacy.get(c.principal()), ServerFrame.Builder::setPrivacy))
                .on(BodyCase.TYPING, c -> {
                    presence.typing(c.principal(), c.frame().getTyping().getConversationId(),
                            c.frame().getTyping().getStopped());
                    return now(Ok.getDefaultInstance(), ServerFrame.Builder::setOk);
                })
                .on(BodyCase.PRESENCE, c -> now(presence.query(c.principal(), c.frame().getPresence(), c.conn()),
                        ServerFrame.Builder::setPresenceResult))
                .on(BodyCase.SEARCH_MESSAGES, c -> now(search.messages(c.principal(), c.frame().getSearchMessages()),
                        ServerFrame.Builder::setSearchResult))
                .on(BodyCase.SEARCH_USERS, c -> now(search.users(c.principal(), c.frame().getSearchUsers()),
                        ServerFrame.Builder::setUsersResult));
    }
}
