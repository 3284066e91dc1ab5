/**
 * JMH micro-benchmarks of the pieces on Tern's hot path: frame codec, sequencers and the RocksDB
 * append of a group-commit batch. Run with {@link dev.tern.bench.jmh.JmhMain} and a benchmark regex.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Every benchmark reports throughput (operations per second) with short defaults (2 x 1 s
 *       warm-up, 3 x 2 s measurement, 1 fork), for a quick reading on a shared machine; pass JMH
 *       options for longer runs.</li>
 *   <li>Inputs are built in {@code @Setup}; a benchmark method returns its result so JIT cannot drop
 *       the work.</li>
 *   <li>Benchmarks touch only their own temporary state (the store benchmark its own directory,
 *       deleted at tear-down), never a running server's data.</li>
 * </ul>
 */
package dev.tern.bench.jmh;
