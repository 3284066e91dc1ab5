package dev.tern.gateway;

import dev.tern.protocol.v1.ClientFrame;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The inbound mailbox on its own: order, one request at a time, back-pressure at the limit and at half. */
class MailboxTest {
    /** Waits (at most 10 s) until {@code done} holds; fails otherwise. */
    private static void waitFor(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited 10 s").isNegative();
            Thread.sleep(1);
        }
    }

    private static ClientFrame frame(int n) {
        return ClientFrame.newBuilder().setId("r" + n).build();
    }

    /** Records what the mailbox did; each request blocks until the test releases it. */
    private static final class Owner implements Mailbox.Owner {
        final List<String> handled = new CopyOnWriteArrayList<>();
        final List<Boolean> pressure = new CopyOnWriteArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);
        volatile int concurrent;
        volatile int maxConcurrent;

        @Override
        public void handle(ClientFrame frame, long waitedNanos, boolean limitsCharged) {
            concurrent++;
            maxConcurrent = Math.max(maxConcurrent, concurrent);
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            handled.add(frame.getId() + (limitsCharged ? "*" : ""));
            concurrent--;
        }

        @Override
        public void backPressure(boolean full) {
            pressure.add(full);
        }
    }

    @Test
    void requestsAreHandledOneAtATimeInArrivalOrder() throws InterruptedException {
        Owner owner = new Owner();
        Mailbox box = new Mailbox(256, owner);
        assertThat(box.idle()).isTrue();
        for (int i = 0; i < 50; i++) {
            box.add(frame(i), i == 3);
        }
        assertThat(box.idle()).isFalse();
        owner.release.countDown();
        waitFor(box::done);
        assertThat(owner.handled).hasSize(50).startsWith("r0", "r1", "r2", "r3*", "r4").endsWith("r49");
        assertThat(owner.maxConcurrent).isEqualTo(1);
        assertThat(owner.pressure).isEmpty();
        assertThat(box.idle()).isTrue();
    }

    @Test
    void readingStopsWhenFullAndResumesAtHalf() throws InterruptedException {
        Owner owner = new Owner();
        Mailbox box = new Mailbox(8, owner);
        for (int i = 0; i < 9; i++) { // the first is taken at once and blocks: 8 wait
            box.add(frame(i), false);
            if (i == 0) {
                waitFor(() -> owner.concurrent == 1);
            }
        }
        assertThat(owner.pressure).containsExactly(true);
        assertThat(box.full()).isTrue();
        box.add(frame(9), false); // already full: no second signal
        assertThat(owner.pressure).containsExactly(true);
        owner.release.countDown();
        waitFor(box::done);
        assertThat(owner.pressure).containsExactly(true, false);
        assertThat(box.full()).isFalse();
        assertThat(owner.handled).hasSize(10);
    }
}
