package dev.tern.core.admission;

/**
 * What admission watches in the commit pipeline. Counters are monotonic; read from any thread
 * without a lock (a slightly stale value is fine: they are compared over a tenth of a second).
 */
public interface Load {

    /** The age of the oldest request queued, being written or waiting to be published; 0 when none. */
    long backlogNanos();

    /** Requests that entered the pipeline so far. */
    long submitted();

    /** Requests the pipeline has finished with so far (completed or failed). */
    long completed();
}
