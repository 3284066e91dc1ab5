package dev.tern.core.view;

import java.util.List;

/** A user who reacted to a message, with their reactions in the order they added them. */
public record Reactor(long userId, String username, List<String> emoji) {}
