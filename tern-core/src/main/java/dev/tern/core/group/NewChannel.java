package dev.tern.core.group;

/** A channel to create; {@code publicName} "" for a private one; {@code clientId} as for {@link NewGroup}. */
public record NewChannel(String title, String description, String publicName, String clientId) {}
