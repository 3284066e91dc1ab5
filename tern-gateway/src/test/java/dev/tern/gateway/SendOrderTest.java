package dev.tern.gateway;

import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.protocol.v1.Send;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SendOrderTest {
    private static Send send(String id, boolean retry) {
        return Send.newBuilder().setClientMsgId(id).setRetry(retry).build();
    }

    private static final Failure OVERLOADED = new Failure(ErrorCode.OVERLOADED, "busy", 250);

    @Test
    void aRetryableRefusalHoldsBackLaterSendsUntilItIsRetriedAndOrdered() {
        SendOrder order = new SendOrder();
        order.enable(true);
        order.check(send("a", false));
        order.accepted(send("a", false));
        order.check(send("b", false));
        order.refused(send("b", false), OVERLOADED);

        // c was pipelined behind b: refused with b's code and hint, and it does not move the barrier.
        assertThatThrownBy(() -> order.check(send("c", false))).isInstanceOfSatisfying(Failure.class, f -> {
            assertThat(f.code()).isEqualTo(ErrorCode.OVERLOADED);
            assertThat(f.retryAfterMs()).isEqualTo(250);
            assertThat(f.getMessage()).contains("send b was refused");
        });
        order.refused(send("c", false), new Failure(ErrorCode.OVERLOADED, "behind b", 250));
        // b without the retry mark, or c marked as a retry, is still behind the barrier.
        assertThatThrownBy(() -> order.check(send("b", false))).isInstanceOf(Failure.class);
        assertThatThrownBy(() -> order.check(send("c", true))).isInstanceOf(Failure.class);
        // b refused again on its retry: still the barrier.
        assertThatCode(() -> order.check(send("b", true))).doesNotThrowAnyException();
        order.refused(send("b", true), OVERLOADED);
        assertThatThrownBy(() -> order.check(send("c", true))).isInstanceOf(Failure.class);
        // b ordered: c goes.
        order.check(send("b", true));
        order.accepted(send("b", true));
        assertThatCode(() -> order.check(send("c", true))).doesNotThrowAnyException();
    }

    @Test
    void aClientThatDidNotAskForOrderedSendsIsNeverHeldBack() {
        SendOrder order = new SendOrder();
        order.refused(send("a", false), OVERLOADED);
        assertThatCode(() -> order.check(send("b", false))).doesNotThrowAnyException();
        order.enable(true);
        order.refused(send("c", false), OVERLOADED);
        order.enable(false); // a second hello that takes it back
        assertThatCode(() -> order.check(send("d", false))).doesNotThrowAnyException();
    }

    @Test
    void aRefusalForGoodOrAnUnexpectedErrorLiftsTheBarrier() {
        SendOrder order = new SendOrder();
        order.enable(true);
        order.refused(send("x", false), OVERLOADED);
        assertThatThrownBy(() -> order.check(send("y", false))).isInstanceOf(Failure.class);
        order.check(send("x", true));
        order.refused(send("x", true), new Failure(ErrorCode.NOT_MEMBER, "removed"));
        assertThatCode(() -> order.check(send("y", false))).doesNotThrowAnyException();

        // Neither does a refusal that is retryable but not of load or pace (slow mode: one
        // conversation, for as long as a day), nor a non-retryable one.
        order.refused(send("s", false), new Failure(ErrorCode.SLOW_MODE, "slow", 60_000));
        assertThatCode(() -> order.check(send("t", false))).doesNotThrowAnyException();
        order.refused(send("z", false), new Failure(ErrorCode.INVALID_ARGUMENT, "bad"));
        assertThatCode(() -> order.check(send("w", false))).doesNotThrowAnyException();
        order.refused(send("v", false), new IllegalStateException("bug"));
        assertThatCode(() -> order.check(send("w", false))).doesNotThrowAnyException();
    }
}
