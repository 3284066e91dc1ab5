package dev.tern.core.store;

/**
 * The public name of a channel, keyed by its lower-case form: whoever knows the name may join.
 * A name once taken stays with its channel.
 */
public record ChannelNameRecord(String canonicalName, long conversationId) implements Mutation {}
