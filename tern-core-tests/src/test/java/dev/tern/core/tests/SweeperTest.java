package dev.tern.core.tests;

import dev.tern.core.ledger.Sweeper;
import dev.tern.core.message.Outgoing;
import dev.tern.core.store.DeleteSearchBacklog;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.view.Sent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.tern.core.tests.CoreFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The expiry sweep: dedup records after the window and tickets after their expiry, in pages, nothing sooner. */
class SweeperTest extends CoreTestBase {
    private final long g = fx.group(alice, bob);

    private Sweeper sweeper(int maxPerRun) {
        return new Sweeper(fx.store, fx.ledger, fx.dedup, fx.clock, maxPerRun);
    }

    private Sent send(String clientId, boolean retry) {
        Outgoing s = CoreFixture.text(g, "hi " + clientId).clientMsgId(clientId).retry(retry).build();
        return await(fx.messaging.send(alice, s));
    }

    @Test
    void dedupRecordsGoOnlyOnceTheWindowHasPassedAndThenARetryIsANewSend() {
        Sent first = send("s-1", false);
        send("s-2", false);
        Sweeper sweeper = sweeper(1000);
        fx.clock.advance(CoreFixture.DEDUP_WINDOW.minusSeconds(1));
        assertThat(sweeper.sweepDedups()).as("still inside the window").isZero();
        assertThat(send("s-1", true).duplicate()).isTrue();

        fx.clock.advance(Duration.ofSeconds(2));
        assertThat(sweeper.sweepDedups()).isEqualTo(2);
        assertThat(sweeper.dedupsSwept()).isEqualTo(2);
        assertThat(fx.store.dedupsBefore(Long.MAX_VALUE, 10)).isEmpty();
        Sent again = send("s-1", true);
        assertThat(again.duplicate()).isFalse();
        assertThat(again.seq()).isGreaterThan(first.seq());
        assertThat(fx.store.message(g, again.seq())).map(MessageRecord::clientMsgId).hasValue("s-1");
    }

    @Test
    void aRunStopsAtItsLimitAndTheNextGoesOn() {
        for (int i = 0; i < 5; i++) {
            send("p-" + i, false);
        }
        fx.clock.advance(CoreFixture.DEDUP_WINDOW.plusSeconds(1));
        Sweeper sweeper = sweeper(3);
        assertThat(sweeper.sweepDedups()).isEqualTo(3);
        assertThat(fx.store.dedupsBefore(Long.MAX_VALUE, 10)).hasSize(2);
        assertThat(sweeper.sweepDedups()).isEqualTo(2);
        assertThat(sweeper.sweepDedups()).isZero();
    }

    @Test
    void ticketsGoAfterTheyExpire() {
        fx.user("carol"); // a login: one more ticket
        int tickets = fx.store.ticketsExpiredBefore(Long.MAX_VALUE, 100).size();
        assertThat(tickets).isGreaterThanOrEqualTo(3);
        Sweeper sweeper = sweeper(1000);
        assertThat(sweeper.sweepTickets()).isZero();
        fx.clock.advance(fx.config.ticketTtl().plusSeconds(1));
        assertThat(sweeper.sweepTickets()).isEqualTo(tickets);
        assertThat(fx.store.ticketsExpiredBefore(Long.MAX_VALUE, 100)).isEmpty();
    }

    @Test
    void housekeepingTakesOnlyExpiryAndBacklogDeletions() {
        fx.ledger.housekeeping(List.of(new DeleteSearchBacklog(1)));
        assertThatThrownBy(() -> fx.ledger.housekeeping(List.of(fx.store.user(alice.userId()).orElseThrow())))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
