package dev.tern.core.view;

import java.util.List;

/** A page of a broadcast conversation's change log; {@code lastChange}: where the next page starts. */
public record ChangesPage(List<Update> updates, long lastChange, boolean more) {}
