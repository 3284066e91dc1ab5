package dev.tern.client;

import dev.tern.protocol.v1.AddMember;
import dev.tern.protocol.v1.Block;
import dev.tern.protocol.v1.BlockedResult;
import dev.tern.protocol.v1.ChangesResult;
import dev.tern.protocol.v1.ChannelsResult;
import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.Contact;
import dev.tern.protocol.v1.ContactsResult;
import dev.tern.protocol.v1.ConversationInfo;
import dev.tern.protocol.v1.CreateChannel;
import dev.tern.protocol.v1.CreateGroup;
import dev.tern.protocol.v1.CreateInvite;
import dev.tern.protocol.v1.DialogsResult;
import dev.tern.protocol.v1.GetBlocked;
import dev.tern.protocol.v1.GetChanges;
import dev.tern.protocol.v1.GetContacts;
import dev.tern.protocol.v1.GetConversation;
import dev.tern.protocol.v1.GetDialogs;
import dev.tern.protocol.v1.GetMembers;
import dev.tern.protocol.v1.Invite;
import dev.tern.protocol.v1.JoinByInvite;
import dev.tern.protocol.v1.JoinChannel;
import dev.tern.protocol.v1.Leave;
import dev.tern.protocol.v1.MembersResult;
import dev.tern.protocol.v1.Ok;
import dev.tern.protocol.v1.Privacy;
import dev.tern.protocol.v1.RemoveMember;
import dev.tern.protocol.v1.RevokeInvite;
import dev.tern.protocol.v1.Role;
import dev.tern.protocol.v1.SearchChannels;
import dev.tern.protocol.v1.SearchMessages;
import dev.tern.protocol.v1.SearchResult;
import dev.tern.protocol.v1.SearchUsers;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.protocol.v1.SetPrivacy;
import dev.tern.protocol.v1.SetRole;
import dev.tern.protocol.v1.Unban;
import dev.tern.protocol.v1.UpdateDialog;
import dev.tern.protocol.v1.UpdateGroup;
import dev.tern.protocol.v1.UsersResult;
import dev.tern.protocol.v1.Visibility;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The requests of {@link TernClient} that each wrap one frame and hand back the server's answer:
 * groups, people (blocking, contacts, privacy), channels, the conversation list and search. Apart
 * from the client so that each file holds one concern; the client is the only subclass, and every
 * method here is part of its public API.
 *
 * <p>Answers that record an entry in the caller's update log (an {@link Ok} with a pts) go through
 * {@link #mutation}, which hands the entry to the cursor, so the device does not sync its own change.
 */
abstract sealed class TernRequests permits TernClient {
    TernRequests() {
    }

    /** One request on the current connection; an error frame fails the future with a {@link TernException}. */
    abstract <T> CompletableFuture<T> call(ClientFrame.Builder frame, Function<ServerFrame, T> extract);

    /** A request answered with an Ok whose pts (when set) is the caller's own log entry. */
    abstract CompletableFuture<Ok> mutation(ClientFrame.Builder frame);

    // ------------------------------------------------------------------ groups

    public CompletableFuture<Ok> createGroup(String title, List<String> members) {
        return createGroup(title, members, "");
    }

    /** Creates a group; retried with the same {@code clientId} (after a lost answer) it gets the first group. */
    public CompletableFuture<Ok> createGroup(String title, List<String> members, String clientId) {
        return mutation(ClientFrame.newBuilder().setCreateGroup(CreateGroup.newBuilder().setTitle(title)
                .addAllMembers(members).setClientId(clientId)));
    }

    public CompletableFuture<Ok> addMember(long conversationId, String username, Role role) {
        return mutation(ClientFrame.newBuilder().setAddMember(AddMember.newBuilder().setConversationId(conversationId)
                .setUsername(username).setRole(role)));
    }

    public CompletableFuture<Ok> removeMember(long conversationId, String username) {
        return mutation(ClientFrame.newBuilder().setRemoveMember(RemoveMember.newBuilder()
                .setConversationId(conversationId).setUsername(username)));
    }

    /** Changes what {@code change} sets of a group: title, description, admins-only posting, slow mode. */
    public CompletableFuture<Ok> updateGroup(UpdateGroup.Builder change) {
        return mutation(ClientFrame.newBuilder().setUpdateGroup(change));
    }

    /** Promotes, demotes, or (OWNER) hands the group over to a member; the owner only. */
    public CompletableFuture<Ok> setRole(long conversationId, String username, Role role) {
        return mutation(ClientFrame.newBuilder().setSetRole(SetRole.newBuilder().setConversationId(conversationId)
                .setUsername(username).setRole(role)));
    }

    /** Removes a member and bans them: no re-adding, no joining by invite, until {@link #unban}. */
    public CompletableFuture<Ok> ban(long conversationId, String username) {
        return mutation(ClientFrame.newBuilder().setRemoveMember(RemoveMember.newBuilder()
                .setConversationId(conversationId).setUsername(username).setBan(true)));
    }

    public CompletableFuture<Ok> unban(long conversationId, String username) {
        return mutation(ClientFrame.newBuilder().setUnban(Unban.newBuilder().setConversationId(conversationId)
                .setUsername(username)));
    }

    /** A page of a group's members in user-id order. */
    public CompletableFuture<MembersResult> members(long conversationId, long afterUserId, int limit) {
        return call(ClientFrame.newBuilder().setGetMembers(GetMembers.newBuilder().setConversationId(conversationId)
                .setAfterUserId(afterUserId).setLimit(limit)), ServerFrame::getMembersResult);
    }

    /** A new invite link token for a group (owner and admins). */
    public CompletableFuture<Invite> createInvite(long conversationId) {
        return call(ClientFrame.newBuilder().setCreateInvite(CreateInvite.newBuilder().setConversationId(conversationId)),
                ServerFrame::getInvite);
    }

    public CompletableFuture<Ok> revokeInvite(long conversationId, String token) {
        return mutation(ClientFrame.newBuilder().setRevokeInvite(RevokeInvite.newBuilder()
                .setConversationId(conversationId).setToken(token)));
    }

    /** Joins the group an invite token opens. */
    public CompletableFuture<Ok> joinByInvite(String token) {
        return mutation(ClientFrame.newBuilder().setJoinByInvite(JoinByInvite.newBuilder().setToken(token)));
    }

    /** Blocks a user: no messages from them in your direct chat, no presence or typing either way. */
    public CompletableFuture<Ok> block(String username) {
        return call(ClientFrame.newBuilder().setBlock(Block.newBuilder().setUsername(username)), ServerFrame::getOk);
    }

    public CompletableFuture<Ok> unblock(String username) {
        return call(ClientFrame.newBuilder().setBlock(Block.newBuilder().setUsername(username).setUnblock(true)),
                ServerFrame::getOk);
    }

    /** Adds a user to your contact list (privacy settings may be "contacts only"). */
    public CompletableFuture<Ok> addContact(String username) {
        return call(ClientFrame.newBuilder().setContact(Contact.newBuilder().setUsername(username)), ServerFrame::getOk);
    }

    public CompletableFuture<Ok> removeContact(String username) {
        return call(ClientFrame.newBuilder().setContact(Contact.newBuilder().setUsername(username).setRemove(true)),
                ServerFrame::getOk);
    }

    public CompletableFuture<ContactsResult> contacts() {
        return call(ClientFrame.newBuilder().setGetContacts(GetContacts.getDefaultInstance()), ServerFrame::getContactsResult);
    }

    /** Who sees your last seen time and your read markers; VISIBILITY_UNSPECIFIED keeps a setting. */
    public CompletableFuture<Privacy> setPrivacy(Visibility lastSeen, Visibility readReceipts) {
        return call(ClientFrame.newBuilder().setSetPrivacy(SetPrivacy.newBuilder().setLastSeen(lastSeen)
                .setReadReceipts(readReceipts)), ServerFrame::getPrivacy);
    }

    /** The users you block. */
    public CompletableFuture<BlockedResult> blocked() {
        return call(ClientFrame.newBuilder().setGetBlocked(GetBlocked.getDefaultInstance()), ServerFrame::getBlockedResult);
    }

    /** Creates a channel; an empty {@code publicName} makes it private (joined by invite link). */
    public CompletableFuture<Ok> createChannel(String title, String description, String publicName) {
        return createChannel(title, description, publicName, "");
    }

    /** The same, retried with the same {@code clientId} (after a lost answer) it gets the first channel. */
    public CompletableFuture<Ok> createChannel(String title, String description, String publicName, String clientId) {
        return mutation(ClientFrame.newBuilder().setCreateChannel(CreateChannel.newBuilder().setTitle(title)
                .setDescription(description).setPublicName(publicName).setClientId(clientId)));
    }

    /** Subscribes to the public channel with this name. */
    public CompletableFuture<Ok> joinChannel(String publicName) {
        return mutation(ClientFrame.newBuilder().setJoinChannel(JoinChannel.newBuilder().setPublicName(publicName)));
    }

    /**
     * Edits, deletions and reaction changes of a broadcast conversation's messages after
     * {@code afterChange} (its change log; see ConversationNews.last_change and Dialog.last_change).
     */
    public CompletableFuture<ChangesResult> changes(long conversationId, long afterChange, int limit) {
        return call(ClientFrame.newBuilder().setGetChanges(GetChanges.newBuilder().setConversationId(conversationId)
                .setAfterChange(afterChange).setLimit(limit)), ServerFrame::getChangesResult);
    }

    /** Public channels whose name starts with {@code prefix}. */
    public CompletableFuture<ChannelsResult> searchChannels(String prefix, int limit) {
        return call(ClientFrame.newBuilder().setSearchChannels(SearchChannels.newBuilder().setPrefix(prefix)
                .setLimit(limit)), ServerFrame::getChannelsResult);
    }

    /** A page of the conversation list (first page of the main list: {@code GetDialogs.getDefaultInstance()}). */
    public CompletableFuture<DialogsResult> dialogs(GetDialogs req) {
        return call(ClientFrame.newBuilder().setGetDialogs(req), ServerFrame::getDialogsResult);
    }

    /** Changes this user's settings (mute, archive, pin, draft) for one conversation, on every device. */
    public CompletableFuture<Ok> updateDialog(UpdateDialog req) {
        return mutation(ClientFrame.newBuilder().setUpdateDialog(req));
    }

    /**
     * Messages you can read that contain every word of {@code query}, newest first. Filters
     * (conversation, sender, dates) and paging (cursor, limit) are fields of the request; pass the
     * result's {@code next_cursor} as {@code cursor} for the next page.
     */
    public CompletableFuture<SearchResult> searchMessages(SearchMessages request) {
        return call(ClientFrame.newBuilder().setSearchMessages(request), ServerFrame::getSearchResult);
    }

    /** The first page of messages with every word of {@code query}, in all your conversations. */
    public CompletableFuture<SearchResult> searchMessages(String query) {
        return searchMessages(SearchMessages.newBuilder().setQuery(query).build());
    }

    /** Users whose username starts with {@code prefix} (at least 2 characters), in name order. */
    public CompletableFuture<UsersResult> searchUsers(String prefix, int limit) {
        return call(ClientFrame.newBuilder().setSearchUsers(SearchUsers.newBuilder().setQuery(prefix).setLimit(limit)),
                ServerFrame::getUsersResult);
    }

    public CompletableFuture<Ok> leave(long conversationId) {
        return mutation(ClientFrame.newBuilder().setLeave(Leave.newBuilder().setConversationId(conversationId)));
    }

    public CompletableFuture<ConversationInfo> conversation(long conversationId) {
        return call(ClientFrame.newBuilder().setGetConversation(GetConversation.newBuilder()
                .setConversationId(conversationId)), ServerFrame::getConversation);
    }

}
