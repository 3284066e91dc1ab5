/**
 * {@code tern bench}: a load generator speaking Tern's protocol, the ceilings it is compared with in
 * the same run, and JMH micro-benchmarks. Benchmarks are programs that print numbers and write JSON
 * and PNG results; nothing here is a timed unit test.
 *
 * <p>Invariant: a figure is only ever reported next to the ceiling measured in the same invocation,
 * so results survive a noisy shared machine.
 */
package dev.tern.bench;
