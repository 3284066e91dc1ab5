package dev.tern.core.view;

import dev.tern.core.store.PrivacyRecord.Visibility;

/** A user's privacy settings: who sees their last seen and online state, and their read markers. */
public record PrivacyView(Visibility lastSeen, Visibility readReceipts) {}
