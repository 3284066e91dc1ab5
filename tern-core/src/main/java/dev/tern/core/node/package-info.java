/**
 * One node's core, wired: {@link dev.tern.core.node.Core} builds the write kernel and every feature
 * with plain constructors (no container, no scanning) and hands them to the edge's composition
 * root. Nothing in the core depends on this package; it depends on all of them.
 */
package dev.tern.core.node;
