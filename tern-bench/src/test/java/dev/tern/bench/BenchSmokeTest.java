package dev.tern.bench;

import dev.tern.bench.ceiling.FsyncProbe;
import dev.tern.bench.load.Target;
import dev.tern.bench.report.Plots;
import dev.tern.bench.report.Results;
import dev.tern.bench.scenario.DirectScenario;
import dev.tern.bench.scenario.GroupScenario;
import dev.tern.bench.scenario.OverloadScenario;
import dev.tern.bench.scenario.SessionsScenario;
import dev.tern.bench.scenario.SyncScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every benchmark scenario and ceiling, run in a tiny size so none of them can rot. This checks that
 * they work and report what they should; it asserts no speed (benchmarks are programs, not tests).
 */
class BenchSmokeTest {
    @TempDir
    Path out;

    @Test
    void directAgainstTernAndBothRelaysDeliversAndReports() throws Exception {
        Results results = new Results("smoke direct");
        DirectScenario.Options closed = new DirectScenario.Options(4, 4, 0, Duration.ofMillis(500),
                Duration.ofSeconds(1), 100, false, 1);
        DirectScenario.Options open = new DirectScenario.Options(4, 0, 400, Duration.ofMillis(500),
                Duration.ofSeconds(1), 100, true, 1);
        for (Target.Kind kind : List.of(Target.Kind.TERN, Target.Kind.DURABLE_RELAY, Target.Kind.BARE_RELAY)) {
            try (Target t = Target.start(kind, "256m", List.of())) {
                Results.Run run = new DirectScenario(closed).run(t, results, 1);
                assertThat(run.figures.get("delivered_per_s")).as(kind.label).isPositive();
                assertThat(run.figures.get("errors")).isZero();
                assertThat(run.figures.get("e2e.count")).isPositive();
                assertThat(run.figures.get("server_cpu_cores")).isPositive();
            }
        }
        try (Target t = Target.start(Target.Kind.TERN, "256m", List.of())) {
            Results.Run run = new DirectScenario(open).run(t, results, 2);
            // ~400/s offered: some delivered, and no more than offered (pacing is not runaway). No lower
            // bound on speed: on a loaded CI machine a second of open loop may deliver little.
            assertThat(run.figures.get("delivered_per_s")).isPositive().isLessThan(1000.0);
            assertThat(run.figures.get("send_lag.count")).isPositive();
            // A sweep: the same target and repetition at a second rate must plot as its own series.
            DirectScenario.Options faster = new DirectScenario.Options(4, 0, 800, Duration.ofMillis(500),
                    Duration.ofSeconds(1), 100, false, 1);
            assertThat(new DirectScenario(faster).run(t, results, 2).figures.get("delivered_per_s")).isPositive();
        }
        results.writeJson(out.resolve("direct.json"));
        Plots.latency(results, "direct", "e2e", out.resolve("lat.png"));
        Plots.throughput(results, "direct", "msgs/s", out.resolve("tput.png"));
        assertThat(Files.readString(out.resolve("direct.json"))).contains("\"target\": \"durable-relay\"");
        assertThat(Files.size(out.resolve("lat.png"))).isPositive();
        assertThat(Files.size(out.resolve("tput.png"))).isPositive();
    }

    @Test
    void groupSyncAndSessionsRunAgainstTern() throws Exception {
        Results results = new Results("smoke");
        try (Target t = Target.start(Target.Kind.TERN, "256m", List.of())) {
            Results.Run g = new GroupScenario(new GroupScenario.Options(2, 5, 3, 100, false, 1)).run(t, results, 1);
            assertThat(g.figures.get("all_members.count")).isEqualTo(6.0); // every message reached all members
            Results.Run s = new SyncScenario(new SyncScenario.Options(300, 20, 2, false, 1)).run(t, results, 1);
            assertThat(s.figures.get("synced")).isEqualTo(300.0);
            assertThat(s.figures.get("storm_entries")).isEqualTo(40.0);
            Results.Run n = new SessionsScenario(new SessionsScenario.Options(50, 1, false, 1)).run(t, results, 1);
            assertThat(n.figures.get("sessions_open_after_hold")).isEqualTo(50.0);
            assertThat(n.figures.get("resumes_per_s")).isPositive();
        }
        try (Target t = Target.start(Target.Kind.BARE_RELAY, "256m", List.of())) {
            Results.Run g = new GroupScenario(new GroupScenario.Options(2, 5, 3, 100, false, 1)).run(t, results, 1);
            assertThat(g.figures.get("all_members.count")).isEqualTo(6.0);
        }
    }

    @Test
    void overloadMeasuresCapacityOffersThreeTimesItAndLosesNothingAcknowledged() throws Exception {
        Results results = new Results("smoke overload");
        try (Target t = Target.start(Target.Kind.TERN, "256m", List.of())) {
            Results.Run r = new OverloadScenario(new OverloadScenario.Options(4, 4, 0.5, 1, 1, 2, 3, 100, false, 1, false))
                    .run(t, results, 1);
            assertThat(r.figures.get("capacity_per_s")).isPositive();
            assertThat(r.figures.get("overload_target_per_s")).isEqualTo(3 * r.figures.get("capacity_per_s"));
            // Template sends really went out (paced from the clock, so a busy generator catches up).
            assertThat(r.figures.get("overload_offered_per_s") + r.figures.get("overload_held_by_hints_per_s"))
                    .isGreaterThan(0.5 * r.figures.get("overload_target_per_s"));
            assertThat(r.figures.get("stray_replies")).isZero();
            assertThat(r.figures.get("acked_total")).isPositive();
            assertThat(r.figures.get("acked_missing")).isZero();
            assertThat(r.figures.get("duplicates")).isZero();
            assertThat(r.figures.get("recovery_ms")).isPositive();
        }
    }

    @Test
    void fsyncProbeMeasures() throws Exception {
        FsyncProbe.Result r = FsyncProbe.run(out, Duration.ofMillis(300), 4096);
        assertThat(r.count()).isPositive();
        assertThat(r.fsyncsPerSec()).isPositive();
    }
}
