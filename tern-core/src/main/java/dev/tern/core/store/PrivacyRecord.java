package dev.tern.core.store;

/**
 * A user's privacy settings, keyed by userId. A user without a record has the defaults: everyone
 * who may see them sees their last seen time and their read markers.
 */
public record PrivacyRecord(long userId, Visibility lastSeen, Visibility readReceipts) implements Mutation {
    /** Who may see something of a user. */
    public enum Visibility { EVERYONE, CONTACTS, NOBODY }

    public static PrivacyRecord defaults(long userId) {
        return new PrivacyRecord(userId, Visibility.EVERYONE, Visibility.EVERYONE);
    }
}
