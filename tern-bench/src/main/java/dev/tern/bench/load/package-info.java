/**
 * The load generator's machinery: {@link dev.tern.bench.load.Target} starts the server under test
 * (Tern or a ceiling relay) as its own JVM, {@link dev.tern.bench.load.WsClient} and
 * {@link dev.tern.bench.load.Fleet} open and authenticate many protocol connections,
 * {@link dev.tern.bench.load.SendTemplate} encodes a send once and patches it per request, and
 * {@link dev.tern.bench.load.Sampler} and {@link dev.tern.bench.load.ServerHistogram} read rates and
 * the server's own metrics while it runs.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Traffic stays on this machine: a target listens on a free port of 127.0.0.1, and generator
 *       connections come from the loopback addresses 127.0.0.1-16.</li>
 *   <li>Every target is a fresh process on a fresh temporary data directory, with the caller's
 *       {@code TERN_*} environment removed and rate limits switched off: a run measures capacity,
 *       not the operator's configuration or policy.</li>
 *   <li>A connection's response callbacks and push handling run on its event loop;
 *       {@link dev.tern.bench.load.WsClient#send} may be called from any thread.</li>
 *   <li>Only set-up requests (register, login, resume) are retried on a retryable refusal; measured
 *       requests never are, so shed load is counted, not hidden.</li>
 * </ul>
 */
package dev.tern.bench.load;
