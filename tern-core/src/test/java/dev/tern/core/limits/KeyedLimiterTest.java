package dev.tern.core.limits;

import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyedLimiterTest {

    @Test
    void refusesPastTheBurstWithTheCodeAndAHintThenRefills() throws Exception {
        KeyedLimiter<String> l = new KeyedLimiter<>(new Rate(2, Duration.ofMillis(200)), ErrorCode.SEND_RATE_DEVICE, "slow down");
        l.acquire("a");
        l.acquire("a");
        assertThatThrownBy(() -> l.acquire("a")).isInstanceOfSatisfying(Failure.class, f -> {
            assertThat(f.code()).isEqualTo(ErrorCode.SEND_RATE_DEVICE);
            assertThat(f.retryAfterMs()).isBetween(1, 101);
        });
        l.acquire("b"); // keys are independent
        Thread.sleep(120);
        l.acquire("a"); // one permit back after 100 ms
    }

    @Test
    void onlyAttemptsThatAreNotRefundedUseTheAllowance() {
        KeyedLimiter<String> l = new KeyedLimiter<>(new Rate(2, Duration.ofMinutes(10)), ErrorCode.LOGIN_RATE_USERNAME, "locked");
        for (int i = 0; i < 5; i++) {
            l.acquire("x");
            l.refund("x"); // a success gives its permit back
        }
        l.acquire("x");
        l.acquire("x");
        assertThatThrownBy(() -> l.acquire("x")).isInstanceOfSatisfying(Failure.class,
                f -> assertThat(f.retryAfterMs()).isGreaterThan(60_000));
        l.acquire("y");
    }

    @Test
    void theSweepForgetsKeysWhoseBucketRefilled() throws Exception {
        KeyedLimiter<Integer> l = new KeyedLimiter<>(new Rate(2, Duration.ofMillis(600)), ErrorCode.SEND_RATE_USER, "x");
        for (int i = 0; i < 1000; i++) {
            l.acquire(i);
            l.acquire(i);
        }
        assertThat(l.size()).isEqualTo(1000);
        l.sweep();
        assertThat(l.size()).isEqualTo(1000); // still refilling
        Thread.sleep(700);
        l.acquire(7);
        l.sweep();
        assertThat(l.size()).isEqualTo(1); // only the key used since
    }

    @Test
    void zeroPermitsMeansNoLimitAndNoState() {
        KeyedLimiter<Integer> l = new KeyedLimiter<>(Rate.UNLIMITED, ErrorCode.SEND_RATE_USER, "x");
        for (int i = 0; i < 10_000; i++) {
            l.acquire(1);
            l.refund(1);
        }
        assertThat(l.size()).isZero();
    }
}
