package dev.tern.core.tests;

import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.core.admission.Admission;
import dev.tern.core.admission.AdmissionConfig;
import dev.tern.core.admission.Load;
import dev.tern.core.admission.Priority;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Admission tells overload (demand outrunning what the pipeline completes) from a busy closed loop
 * (clients that send as acks come back), on a clock moved by hand in steps of a window.
 */
class AdmissionTest {
    private static final long MS = 1_000_000;
    // low 100 ms, normal 250 ms, high 1 s: the defaults
    private final AdmissionConfig config = AdmissionConfig.DEFAULTS;

    /** A pipeline whose counters and backlog the test sets. */
    private static final class FakeLoad implements Load {
        long backlog;
        long submitted;
        long completed;

        @Override
        public long backlogNanos() {
            return backlog;
        }

        @Override
        public long submitted() {
            return submitted;
        }

        @Override
        public long completed() {
            return completed;
        }
    }

    private final FakeLoad load = new FakeLoad();
    private long now = 1_000 * MS;
    private final Admission admission = new Admission(config, load, () -> now);

    /** One window (a little over 100 ms) in which {@code in} requests arrive and {@code out} complete. */
    private void window(long in, long out, long backlogMs) {
        now += 101 * MS;
        load.submitted += in;
        load.completed += out;
        load.backlog = backlogMs * MS;
        admission.backlogNanos(); // the first request after the window ends it
    }

    private boolean admitted(Priority p) {
        return admitted(p, p != Priority.LOW); // typing and presence never write
    }

    private boolean admitted(Priority p, boolean writes) {
        try {
            admission.admit(p, writes);
            return true;
        } catch (Failure f) {
            assertThat(f.code()).isEqualTo(ErrorCode.OVERLOADED);
            assertThat(f.retryAfterMs()).isPositive();
            return false;
        }
    }

    @Test
    void aClosedLoopIsNotRefusedWhateverItsBacklogBelowTheHardLimit() {
        for (int i = 0; i < 50; i++) {
            window(4_000, 4_000 + (i % 2 == 0 ? 150 : -150), 900); // a 900 ms standing queue
            assertThat(admitted(Priority.NORMAL)).as("window %d", i).isTrue();
            assertThat(admitted(Priority.HIGH)).isTrue();
        }
        assertThat(admission.overloaded()).isFalse();
        assertThat(admission.refused(Priority.NORMAL)).isZero();
    }

    @Test
    void refusedReadsAreNotDemandSoTheyCannotTurnAClosedLoopIntoOverload() {
        for (int i = 0; i < 20; i++) {
            window(4_000, 4_000, 450); // above typing's hard limit (400 ms), below the sends' (1 s)
            for (int r = 0; r < 500; r++) {
                assertThat(admitted(Priority.LOW)).isFalse(); // typing refused, hundreds a window
            }
            assertThat(admitted(Priority.NORMAL)).as("window %d", i).isTrue();
        }
        assertThat(admission.overloaded()).isFalse();
    }

    @Test
    void aStallInAClosedLoopIsNotOverload() {
        window(4_000, 4_000, 20);
        // The disk stalls: the clients' free slots fill in the first window, then nothing arrives.
        window(600, 0, 400);
        assertThat(admitted(Priority.NORMAL)).isTrue();
        window(0, 0, 500);
        assertThat(admitted(Priority.NORMAL)).isTrue();
        window(4_600, 4_600, 30); // it catches up
        assertThat(admitted(Priority.NORMAL)).isTrue();
        assertThat(admission.overloads()).isZero();
    }

    @Test
    void demandBeyondCompletionsIsRefusedAboveEachPrioritysThresholdLowestFirst() {
        window(4_000, 4_000, 20);
        window(12_000, 4_000, 150); // three times what completes
        assertThat(admission.overloaded()).as("one window is not yet a trend").isFalse();
        window(12_000, 4_000, 300);
        assertThat(admission.overloaded()).isTrue();
        assertThat(admitted(Priority.LOW)).isFalse();
        assertThat(admitted(Priority.NORMAL)).isFalse();
        assertThat(admitted(Priority.HIGH)).isTrue(); // below 1 s: logins, resumes and syncs go on
        load.backlog = 200 * MS;
        assertThat(admitted(Priority.NORMAL)).as("sampled once a millisecond: not seen yet").isFalse();
        now += 2 * MS;
        assertThat(admitted(Priority.LOW)).isFalse();
        assertThat(admitted(Priority.NORMAL)).isTrue(); // under its threshold, though overloaded
        assertThat(admission.overloads()).isEqualTo(1);
    }

    @Test
    void refusedRequestsCountAsDemandSoTheStateHoldsWhileTheyAreRefused() {
        window(12_000, 4_000, 300);
        window(12_000, 4_000, 300);
        assertThat(admission.overloaded()).isTrue();
        for (int i = 0; i < 10; i++) {
            // Only what completes is admitted; the rest arrives and is refused.
            now += 101 * MS;
            load.submitted += 4_000;
            load.completed += 4_000;
            load.backlog = 300 * MS;
            for (int r = 0; r < 8_000; r++) {
                assertThat(admitted(Priority.NORMAL)).isFalse();
            }
        }
        assertThat(admission.overloaded()).isTrue();
        assertThat(admission.refused(Priority.NORMAL)).isEqualTo(80_000);
    }

    @Test
    void theStateEndsWhenDemandFallsBackOrTheQueueDrains() {
        window(12_000, 4_000, 300);
        window(12_000, 4_000, 300);
        assertThat(admission.overloaded()).isTrue();
        window(4_000, 4_000, 300);
        window(4_000, 4_000, 300);
        assertThat(admission.overloaded()).isTrue();
        window(4_000, 4_000, 300); // three calm windows
        assertThat(admission.overloaded()).isFalse();
        assertThat(admitted(Priority.NORMAL)).isTrue();

        window(12_000, 4_000, 300);
        window(12_000, 4_000, 300);
        assertThat(admission.overloaded()).isTrue();
        window(12_000, 4_000, 50); // drained below every threshold: over at once
        assertThat(admission.overloaded()).isFalse();
        assertThat(admission.overloads()).isEqualTo(2);
    }

    @Test
    void aBacklogFourTimesAThresholdIsRefusedWhateverTheRates() {
        window(4_000, 4_000, 450);
        assertThat(admitted(Priority.LOW)).isFalse(); // > 4 x 100 ms
        assertThat(admitted(Priority.NORMAL)).isTrue();
        window(4_000, 4_000, 1_100);
        assertThat(admitted(Priority.NORMAL)).isFalse(); // > 4 x 250 ms
        assertThat(admitted(Priority.HIGH)).isTrue(); // < 4 x 1 s
        assertThat(admission.overloaded()).isFalse();
    }

    @Test
    void aRequestThatWaitedPastTheDeadlineIsRefused() {
        assertThatThrownBy(() -> admission.checkDeadline(Duration.ofSeconds(11).toNanos(), true))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.OVERLOADED));
        admission.checkDeadline(Duration.ofSeconds(9).toNanos(), true);
        assertThat(admission.expired()).isEqualTo(1);
    }
}
