package dev.tern.core.view;

/**
 * A device's session: who it is, its ticket (only when just issued: login, a password change; ""
 * on resume), when the ticket expires, and the newest pts of the user's log.
 */
public record SessionView(long userId, String username, long deviceId, String ticket, long expiresAtMs, long pts) {}
