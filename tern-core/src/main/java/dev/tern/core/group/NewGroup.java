package dev.tern.core.group;

import java.util.List;

/**
 * A group to create: its title, the usernames of its first members (the caller is added as owner),
 * and the caller's id for the request ("" for none), which makes a retry create nothing new.
 */
public record NewGroup(String title, List<String> members, String clientId) {
    public NewGroup {
        title = title == null ? "" : title;
        members = members == null ? List.of() : List.copyOf(members);
        clientId = clientId == null ? "" : clientId;
    }
}
