package dev.tern.core.view;

import java.util.List;

/** A page of a user's dialogs: pinned first, then by last activity; {@code more} when a later page exists. */
public record DialogsPage(List<DialogView> dialogs, boolean more) {}
