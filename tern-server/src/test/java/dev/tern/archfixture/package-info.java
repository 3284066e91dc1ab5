/**
 * A miniature Tern, compiled only with the tests, whose classes break each rule of
 * {@code dev.tern.architecture.ArchitectureRules} on purpose (each violating class says which), so
 * ArchitectureTest can show that every rule fails when broken. It mirrors the real layout below
 * {@code dev.tern.archfixture} instead of {@code dev.tern}; the real checks never import it.
 */
package dev.tern.archfixture;
