package dev.tern.archfixture.protocol;

/** Stands for a generated wire type. */
public class Frame {
}
