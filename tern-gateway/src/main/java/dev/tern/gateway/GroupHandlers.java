package dev.tern.gateway;

import dev.tern.core.group.Channels;
import dev.tern.core.group.GroupSettings;
import dev.tern.core.group.Groups;
import dev.tern.core.group.Invites;
import dev.tern.protocol.v1.ClientFrame.BodyCase;
import dev.tern.protocol.v1.ServerFrame;

import static dev.tern.gateway.Handler.later;
import static dev.tern.gateway.Handler.now;

/** Groups and channels: creation, members, roles, settings, invites, public channels. */
final class GroupHandlers {
    private final Groups groups;
    private final GroupSettings settings;
    private final Invites invites;
    private final Channels channels;

    GroupHandlers(Groups groups, GroupSettings settings, Invites invites, Channels channels) {
        this.groups = groups;
        this.settings = settings;
        this.invites = invites;
        this.channels = channels;
    }

    void register(RequestTable table) {
        table.on(BodyCase.CREATE_GROUP, c -> later(groups.create(c.principal(), c.frame().getCreateGroup()),
                        ServerFrame.Builder::setOk))
                .on(BodyCase.ADD_MEMBER, c -> {
                    var a = c.frame().getAddMember();
                    return later(groups.addMember(c.principal(), a.getConversationId(), a.getUsername(), a.getRole()),
                            ServerFrame.Builder::setOk);
                })
                .on(BodyCase.REMOVE_MEMBER, c -> {
                    var r = c.frame().getRemoveMember();
                    return later(groups.removeMember(c.principal(), r.getConversationId(), r.getUsername(), r.getBan()),
                            ServerFrame.Builder::setOk);
                })
                .on(BodyCase.UNBAN, c -> later(groups.unban(c.principal(), c.frame().getUnban().getConversationId(),
                        c.frame().getUnban().getUsername()), ServerFrame.Builder::setOk))
                .on(BodyCase.GET_MEMBERS, c -> {
                    var g = c.frame().getGetMembers();
                    return now(groups.members(c.principal(), g.getConversationId(), g.getAfterUserId(), g.getLimit()),
                            ServerFrame.Builder::setMembersResult);
                })
                .on(BodyCase.LEAVE, c -> later(groups.leave(c.principal(), c.frame().getLeave().getConversationId()),
                        ServerFrame.Builder::setOk))
                .on(BodyCase.GET_CONVERSATION, c -> now(groups.info(c.principal(),
                        c.frame().getGetConversation().getConversationId()), ServerFrame.Builder::setConversation))
                .on(BodyCase.UPDATE_GROUP, c -> later(settings.update(c.principal(), c.frame().getUpdateGroup()),
                        ServerFrame.Builder::setOk))
                .on(BodyCase.SET_ROLE, c -> {
                    var r = c.frame().getSetRole();
                    return later(settings.setRole(c.principal(), r.getConversationId(), r.getUsername(), r.getRole()),
                            ServerFrame.Builder::setOk);
                })
                .on(BodyCase.CREATE_INVITE, c -> later(invites.create(c.principal(),
                        c.frame().getCreateInvite().getConversationId()), ServerFrame.Builder::setInvite))
                .on(BodyCase.REVOKE_INVITE, c -> later(invites.revoke(c.principal(),
                        c.frame().getRevokeInvite().getConversationId(), c.frame().getRevokeInvite().getToken()),
                        ServerFrame.Builder::setOk))
                .on(BodyCase.JOIN_BY_INVITE, c -> later(invites.join(c.principal(),
                        c.frame().getJoinByInvite().getToken()), ServerFrame.Builder::setOk))
                .on(BodyCase.CREATE_CHANNEL, c -> later(channels.create(c.principal(), c.frame().getCreateChannel()),
                        ServerFrame.Builder::setOk))
                .on(BodyCase.JOIN_CHANNEL, c -> later(channels.join(c.principal(),
                        c.frame().getJoinChannel().getPublicName()), ServerFrame.Builder::setOk))
                .on(BodyCase.SEARCH_CHANNELS, c -> now(channels.search(c.principal(),
                        c.frame().getSearchChannels().getPrefix(), c.frame().getSearchChannels().getLimit()),
                        ServerFrame.Builder::setChannelsResult));
    }
}
