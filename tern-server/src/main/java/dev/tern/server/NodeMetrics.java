package dev.tern.server;

import dev.tern.core.ledger.Sweeper;
import dev.tern.core.node.Core;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The node's meters that are not the network edge's: the commit pipeline's backlog (what overload
 * protection watches), group commit and store writes (fsync time, mutations), and the search index's
 * lag, and the expiry sweeps. Read from the core and registered once at start; the gateway registers its own
 * (connections, frames, sends, errors, goodbyes). Names as Prometheus shows them are listed in
 * docs/operations.md ("Metrics").
 */
final class NodeMetrics {
    private NodeMetrics() {}

    static void register(MeterRegistry r, Core core) {
        Gauge.builder("tern.commit.backlog", core.admission(), a -> a.backlogNanos() / 1e9)
                .description("Age of the oldest request not yet acknowledged (what overload protection watches)")
                .baseUnit("seconds").register(r);
        Gauge.builder("tern.overload.active", core.admission(), a -> a.overloaded() ? 1 : 0)
                .description("1 while demand outruns what the commit pipeline completes (sends are then "
                        + "refused above overload.normal-backlog)").register(r);
        FunctionCounter.builder("tern.overload.episodes", core.admission(), a -> a.overloads())
                .description("Times the node entered the overload state").register(r);
        Gauge.builder("tern.search.lag", core.indexer(), i -> i.lag())
                .description("Search backlog entries not yet in the message index").register(r);
        FunctionCounter.builder("tern.store.commits", core, Core::commits)
                .description("Store writes (each one fsync)").register(r);
        FunctionCounter.builder("tern.commit.batches", core, Core::batches)
                .description("Requests made durable (many share one store write)").register(r);
        FunctionCounter.builder("tern.expiry.dedups", core.expiry(), Sweeper::dedupsSwept)
                .description("Retry-dedup records deleted once dedup.window had passed").register(r);
        FunctionCounter.builder("tern.expiry.tickets", core.expiry(), Sweeper::ticketsSwept)
                .description("Login tickets deleted after they expired").register(r);
        DistributionSummary batchSize = DistributionSummary.builder("tern.commit.group.size")
                .description("Requests per store write (group commit)").publishPercentileHistogram()
                .minimumExpectedValue(1.0).maximumExpectedValue(100_000.0).register(r);
        Timer fsync = Timer.builder("tern.store.write").description("Time of one store write with fsync")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(r);
        Counter written = Counter.builder("tern.store.mutations")
                .description("Records written or deleted in the store (message, log entry, marker, ...)").register(r);
        core.listenToCommits((batches, mutations, nanos) -> {
            written.increment(mutations);
            batchSize.record(batches);
            fsync.record(nanos, TimeUnit.NANOSECONDS);
        });
    }
}
