/**
 * What one {@code tern bench} invocation measured and how it is shown: {@link
 * dev.tern.bench.report.Results} (runs of target x scenario x repetition, their figures, latency
 * histograms and per-second timelines, written as JSON and printed as a table of medians), {@link
 * dev.tern.bench.report.Plots} (PNG latency-by-percentile and throughput charts) and {@link
 * dev.tern.bench.report.ProcStats} (a process's CPU, memory and file descriptors from Linux /proc).
 *
 * <p>Invariants: nothing here generates load or times anything itself; a figure carries its unit in
 * its name and is reported as the median over repetitions of the same target in the same
 * invocation; a figure that was not measured prints as "-" (NaN), never as zero; CPU is counted per
 * process so the server's and the generator's shares of the shared cores stay apart.
 */
package dev.tern.bench.report;
