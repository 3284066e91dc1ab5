package dev.tern.core.store;

/**
 * One change in an atomic batch. A record type that implements this interface is an upsert of
 * itself under its key; each {@code Delete*} record removes what its key names (and every index
 * entry of it); a {@link ReactionRecord} with no emoji removes that user's reactions.
 */
public sealed interface Mutation
        permits UserRecord, TicketRecord, DeleteTicket, ConversationRecord, MemberRecord, DeleteMember,
                MessageRecord, UpdateRecord, ReadMarkerRecord, DeliveredMarkerRecord, DedupRecord, DeleteDedup,
                SequenceBound, DirectRecord, LastSeenRecord, ReactionRecord, HiddenRecord, BanRecord, DeleteBan,
                InviteRecord, DeleteInvite, BlockRecord, DeleteBlock, ContactRecord, DeleteContact, PrivacyRecord,
                ChannelNameRecord, DialogRecord, SearchBacklogRecord, DeleteSearchBacklog,
                UploadRecord, DeleteUpload, MediaRecord, DeleteMedia, MediaUseRecord, BlobRefRecord, DeleteBlobRef,
                UsageRecord {
}
