package dev.tern.client;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {
    private final SplittableRandom random = new SplittableRandom(42);

    @Test
    void eachRetryWaitsBetweenHalfAndAllOfADoublingBaseUpToTheCap() {
        Backoff b = new Backoff(100, 5_000);
        long[] bases = {100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000};
        for (int retry = 0; retry < bases.length; retry++) {
            long base = bases[retry];
            int r = retry;
            long[] samples = LongStream.range(0, 2_000).map(i -> b.delayMs(r, random)).toArray();
            assertThat(LongStream.of(samples).boxed()).as("retry %d", retry).allMatch(d -> d >= base / 2 && d <= base);
            // Jittered: the samples spread over the range instead of all being one value.
            assertThat(LongStream.of(samples).min().orElseThrow()).isLessThan(base / 2 + base / 10);
            assertThat(LongStream.of(samples).max().orElseThrow()).isGreaterThan(base - base / 10);
        }
    }

    @Test
    void aVeryLateRetryStaysAtTheCapInsteadOfOverflowing() {
        Backoff b = Backoff.SEND_RETRY;
        for (int retry : new int[] {31, 62, 63, 64, 1_000, Integer.MAX_VALUE}) {
            assertThat(b.delayMs(retry, random)).isBetween(5_000L, 10_000L);
        }
    }

    @Test
    void aNonsensicalBackoffIsRefused() {
        assertThatThrownBy(() -> new Backoff(0, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(200, 100)).isInstanceOf(IllegalArgumentException.class);
    }
}
