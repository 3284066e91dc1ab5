package dev.tern.gateway;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The overload policy on its own: when a connection that ignores OVERLOADED stops being read, and for how long. */
class ReadThrottleTest {
    private static final long MS = 1_000_000;

    @Test
    void aClientThatKeepsSendingThroughOneHintIsPausedForTheRestOfIt() {
        ReadThrottle t = new ReadThrottle();
        long now = 1_000 * MS;
        for (int i = 0; i < ReadThrottle.REFUSALS_BEFORE_PAUSE; i++) {
            assertThat(t.count(200, now + i * 1000)).isZero();
        }
        long pause = t.count(200, now + 50 * MS);
        assertThat(pause).isEqualTo(150); // the rest of the 200 ms hint
        assertThat(t.paused()).isTrue();
        assertThat(t.count(200, now + 60 * MS)).as("already paused").isZero();
        assertThat(t.resume(now + 100 * MS)).as("before the pause ends").isFalse();
        assertThat(t.resume(now + 200 * MS)).isTrue();
        assertThat(t.paused()).isFalse();
    }

    @Test
    void refusalsSpreadOverHintsNeverPauseAndPausesAreCapped() {
        ReadThrottle t = new ReadThrottle();
        long now = 0;
        for (int i = 0; i < 10 * ReadThrottle.REFUSALS_BEFORE_PAUSE; i++) {
            now += 2 * MS; // each refusal after the previous 1 ms hint passed: a client that waits
            assertThat(t.count(1, now)).isZero();
        }
        ReadThrottle capped = new ReadThrottle();
        long pause = 0;
        for (int i = 0; i <= ReadThrottle.REFUSALS_BEFORE_PAUSE; i++) {
            pause = capped.count(60_000, 0);
        }
        assertThat(pause).isEqualTo(ReadThrottle.MAX_READ_PAUSE_MS);
    }
}
