package dev.tern.core.store;

/** A member's role, in increasing order of power. */
public enum MemberRole {
    MEMBER, ADMIN, OWNER;

    public boolean atLeast(MemberRole other) {
        return compareTo(other) >= 0;
    }
}
