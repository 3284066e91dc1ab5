/**
 * The {@code tern bench} commands and the scenarios they run: direct pairs, groups, catch-up sync,
 * idle sessions, media transfer, overload and fsync. {@link dev.tern.bench.scenario.Common} holds the
 * options every command shares and the loop that starts each target afresh for every repetition.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Tern and its ceilings run in the same invocation, each repetition on a newly started
 *       server, so every figure is printed beside the ceiling of the same run.</li>
 *   <li>Open-loop latency is measured from a send's intended time, not from when the generator got
 *       round to it (no coordinated omission).</li>
 *   <li>A scenario checks what its numbers rely on after measuring, and a broken check is never
 *       hidden behind a faster figure: overload reports acknowledged messages missing from or
 *       duplicated in the receiver's log as figures; media fails the run when the bytes that come
 *       back are not the bytes sent.</li>
 *   <li>Every scenario's work is sized by counts and durations given on the command line; none
 *       runs until interrupted.</li>
 * </ul>
 */
package dev.tern.bench.scenario;
