package dev.tern.archfixture.core.view;

/** A value the core hands to the edge. */
public record Sent(long seq) {
}
