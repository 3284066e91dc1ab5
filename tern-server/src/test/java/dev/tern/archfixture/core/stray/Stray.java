package dev.tern.archfixture.core.stray;

/** Breaks rule 2: a core package that no layer names. */
public class Stray {}
