package dev.tern.core.view;

import java.util.List;

/** A page of who reacted, in user-id order; {@code more} when a later page exists. */
public record ReactorsPage(List<Reactor> reactors, boolean more) {}
