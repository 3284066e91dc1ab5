package dev.tern.core.view;

import java.util.List;

/**
 * A page of the caller's update log: the entries, the pts the next sync starts after, whether more
 * follow, and (on the last page only) the broadcast conversations with unread messages.
 */
public record SyncPage(List<Update> updates, long pts, boolean more, List<News> news) {}
