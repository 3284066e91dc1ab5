package dev.tern.core.view;

/** A public channel as a search finds it. */
public record ChannelView(long conversationId, String publicName, String title, String description, int memberCount) {}
