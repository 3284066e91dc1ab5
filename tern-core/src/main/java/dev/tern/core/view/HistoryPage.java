package dev.tern.core.view;

import java.util.List;

/** Messages of one conversation, newest first; {@code more} when older ones exist. */
public record HistoryPage(List<MessageView> messages, boolean more) {}
