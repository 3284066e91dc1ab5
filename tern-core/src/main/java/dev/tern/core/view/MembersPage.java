package dev.tern.core.view;

import java.util.List;

/** A page of members in user-id order; {@code more} when a later page exists. */
public record MembersPage(List<MemberView> members, boolean more) {}
