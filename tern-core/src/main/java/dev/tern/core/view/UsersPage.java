package dev.tern.core.view;

import java.util.List;

/** Users in username order; {@code more} when the query matched more than the page holds. */
public record UsersPage(List<UserRef> users, boolean more) {}
