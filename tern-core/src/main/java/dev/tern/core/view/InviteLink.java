package dev.tern.core.view;

/** A new invite link's token (shown once: only its hash is stored). */
public record InviteLink(long conversationId, String token) {}
