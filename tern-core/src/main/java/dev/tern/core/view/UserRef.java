package dev.tern.core.view;

/** A user by id and username. */
public record UserRef(long userId, String username) {}
