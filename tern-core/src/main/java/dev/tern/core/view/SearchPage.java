package dev.tern.core.view;

import java.util.List;

/** Messages found, newest first; with {@code more}, {@code nextCursor} continues the search. */
public record SearchPage(List<MessageView> messages, boolean more, String nextCursor) {}
