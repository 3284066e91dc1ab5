package dev.tern.core.group;

/** What to change in a group's settings; a null field is left as it is. */
public record GroupChange(long conversationId, String title, String description, Boolean adminsOnly,
                          Integer slowModeSeconds) {}
