package dev.tern.core.store;

/**
 * What kind of conversation a record describes. Channels are broadcast conversations: the owner and
 * admins post, subscribers read; they are always delivered by fan-out on read.
 */
public enum ConversationKind { DIRECT, GROUP, CHANNEL }
