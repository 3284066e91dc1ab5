package dev.tern.core.view;

/** A user's presence as a viewer may see it; {@code lastSeenMs} 0 when never seen (or hidden). */
public record PresenceView(long userId, String username, boolean online, long lastSeenMs) {}
