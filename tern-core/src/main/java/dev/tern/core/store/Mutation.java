package dev.tern.core.store;

/**
 * One change in an atomic batch. A record type that implements this interface is an upsert of
 * itself; {@link DeleteTicket} and {@link DeleteMember} remove a key.
 */
public sealed interface Mutation
        permits UserRecord, TicketRecord, DeleteTicket, ConversationRecord, MemberRecord, DeleteMember,
                MessageRecord, UpdateRecord, ReadMarkerRecord, DeliveredMarkerRecord, DedupRecord, SequenceBound, DirectRecord,
                LastSeenRecord, ReactionRecord, HiddenRecord, BanRecord, DeleteBan, InviteRecord,
                DeleteInvite, BlockRecord, DeleteBlock, ContactRecord, DeleteContact, PrivacyRecord,
                ChannelNameRecord, DialogRecord, SearchBacklogRecord, DeleteSearchBacklog,
                UploadRecord, DeleteUpload, MediaRecord, DeleteMedia, MediaUseRecord, BlobRefRecord, DeleteBlobRef,
                UsageRecord {
}
