package dev.tern.gateway;

import dev.tern.core.group.Channels;
import dev.tern.core.group.GroupSettings;
import dev.tern.core.group.Groups;
import dev.tern.core.group.Invites;
import dev.tern.gateway.wire.Inputs;
import dev.tern.gateway.wire.Results;
import dev.tern.protocol.v1.ClientFrame.BodyCase;

import static dev.tern.gateway.Handler.committed;
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
        table.on(BodyCase.CREATE_GROUP, c -> committed(groups.create(c.principal(), Inputs.newGroup(c.frame().getCreateGroup()))))
                .on(BodyCase.ADD_MEMBER, c -> {
                    var a = c.frame().getAddMember();
                    return committed(groups.addMember(c.principal(), a.getConversationId(), a.getUsername(),
                            Inputs.addedRole(a.getRole())));
                })
                .on(BodyCase.REMOVE_MEMBER, c -> {
                    var r = c.frame().getRemoveMember();
                    return committed(groups.removeMember(c.principal(), r.getConversationId(), r.getUsername(), r.getBan()));
                })
                .on(BodyCase.UNBAN, c -> committed(groups.unban(c.principal(), c.frame().getUnban().getConversationId(),
                        c.frame().getUnban().getUsername())))
                .on(BodyCase.GET_MEMBERS, c -> {
                    var g = c.frame().getGetMembers();
                    return now(groups.members(c.principal(), g.getConversationId(), g.getAfterUserId(), g.getLimit()),
                            (f, v) -> f.setMembersResult(Results.members(v)));
                })
                .on(BodyCase.LEAVE, c -> committed(groups.leave(c.principal(), c.frame().getLeave().getConversationId())))
                .on(BodyCase.GET_CONVERSATION, c -> now(groups.info(c.principal(),
                        c.frame().getGetConversation().getConversationId()), (f, v) -> f.setConversation(Results.conversation(v))))
                .on(BodyCase.UPDATE_GROUP, c -> committed(settings.update(c.principal(), Inputs.groupChange(c.frame().getUpdateGroup()))))
                .on(BodyCase.SET_ROLE, c -> {
                    var r = c.frame().getSetRole();
                    return committed(settings.setRole(c.principal(), r.getConversationId(), r.getUsername(),
                            Inputs.role(r.getRole())));
                })
                .on(BodyCase.CREATE_INVITE, c -> later(invites.create(c.principal(),
                        c.frame().getCreateInvite().getConversationId()), (f, v) -> f.setInvite(Results.invite(v))))
                .on(BodyCase.REVOKE_INVITE, c -> committed(invites.revoke(c.principal(),
                        c.frame().getRevokeInvite().getConversationId(), c.frame().getRevokeInvite().getToken())))
                .on(BodyCase.JOIN_BY_INVITE, c -> committed(invites.join(c.principal(),
                        c.frame().getJoinByInvite().getToken())))
                .on(BodyCase.CREATE_CHANNEL, c -> committed(channels.create(c.principal(), Inputs.newChannel(c.frame().getCreateChannel()))))
                .on(BodyCase.JOIN_CHANNEL, c -> committed(channels.join(c.principal(),
                        c.frame().getJoinChannel().getPublicName())))
                .on(BodyCase.SEARCH_CHANNELS, c -> now(channels.search(c.principal(),
                        c.frame().getSearchChannels().getPrefix(), c.frame().getSearchChannels().getLimit()),
                        (f, v) -> f.setChannelsResult(Results.channels(v))));
    }
}
