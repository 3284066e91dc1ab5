package dev.tern.core.group;

/** A channel to create; {@code publicName} "" for a private one; {@code clientId} as for {@link NewGroup}. */
public record NewChannel(String title, String description, String publicName, String clientId) {
    public NewChannel {
        title = title == null ? "" : title;
        description = description == null ? "" : description;
        publicName = publicName == null ? "" : publicName;
        clientId = clientId == null ? "" : clientId;
    }
}
