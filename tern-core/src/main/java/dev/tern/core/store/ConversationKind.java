package dev.tern.core.store;

/** What kind of conversation a record describes. */
public enum ConversationKind { DIRECT, GROUP }
