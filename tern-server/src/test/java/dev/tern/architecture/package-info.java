/**
 * Tern's architecture as executable rules (ArchUnit): no package cycles in the core, the core's
 * layers, the write side closed to features, a core free of technology and of the outer modules,
 * independent adapters, blob adapters bound to the blob port, and a gateway without store records.
 * Every rule is a function of a {@link dev.tern.architecture.Layout} so that it runs unchanged on
 * the production classes and on the deliberately broken fixture in {@code dev.tern.archfixture}.
 */
package dev.tern.architecture;
