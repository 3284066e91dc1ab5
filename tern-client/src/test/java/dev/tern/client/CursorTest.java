package dev.tern.client;

import dev.tern.protocol.v1.ConversationNews;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.SyncResult;
import dev.tern.protocol.v1.Update;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cursor on its own: pushes and the device's own entries come in as (pts, prev_pts), syncs go
 * out to a fetch function the test answers by hand. Every check waits for the cursor's thread to
 * finish what was handed to it, so nothing here sleeps.
 */
class CursorTest {
    private record Fetch(long after, CompletableFuture<SyncResult> result) {}

    private final List<Long> delivered = new CopyOnWriteArrayList<>();
    private final List<Long> handed = new CopyOnWriteArrayList<>();
    private final List<ConversationNews> news = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Fetch> fetches = new LinkedBlockingQueue<>();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final Cursor cursor = new Cursor(new TernListener() {
        @Override
        public void onUpdate(Update update) {
            delivered.add(update.getPts());
        }

        @Override
        public void onNews(ConversationNews n) {
            news.add(n);
        }
    }, after -> {
        CompletableFuture<SyncResult> f = new CompletableFuture<>();
        fetches.add(new Fetch(after, f));
        return f;
    }, u -> handed.add(u.getPts()), scheduler);

    @AfterEach
    void close() {
        cursor.close();
    }

    @Test
    void pushesThatLinkUpAreDeliveredInOrderAndMoveTheCursor() throws Exception {
        cursor.reset(10);
        cursor.entry(11, 10, update(11, 10));
        cursor.entry(12, 11, update(12, 11));
        drain();
        assertThat(delivered).containsExactly(11L, 12L);
        assertThat(cursor.value()).isEqualTo(12);
        assertThat(fetches).isEmpty();
    }

    @Test
    void aRepeatedOrOlderPushIsDroppedNotDeliveredTwice() throws Exception {
        cursor.reset(10);
        cursor.entry(11, 10, update(11, 10));
        cursor.entry(11, 10, update(11, 10));
        cursor.entry(10, 9, update(10, 9));
        cursor.entry(7, 6, update(7, 6));
        drain();
        assertThat(delivered).containsExactly(11L);
        assertThat(fetches).isEmpty();
    }

    @Test
    void aPushWhosePrevPtsIsNotTheCursorSyncsFromTheCursorAndHoldsThePush() throws Exception {
        cursor.reset(10);
        cursor.entry(13, 12, update(13, 12));
        Fetch f = nextFetch();
        assertThat(f.after()).isEqualTo(10);
        drain();
        assertThat(delivered).isEmpty();
        assertThat(cursor.value()).isEqualTo(10); // not moved past what is missing

        f.result().complete(page(12, false, update(11, 10), update(12, 11)));
        drain();
        assertThat(delivered).containsExactly(11L, 12L, 13L);
        assertThat(cursor.value()).isEqualTo(13);
        assertThat(fetches).isEmpty();
    }

    @Test
    void pushesArrivingOutOfOrderDuringASyncAreDeliveredInPtsOrderAfterIt() throws Exception {
        cursor.reset(10);
        cursor.entry(12, 11, update(12, 11));
        Fetch f = nextFetch();
        cursor.entry(14, 13, update(14, 13));
        cursor.entry(13, 12, update(13, 12));
        f.result().complete(page(11, false, update(11, 10)));
        drain();
        assertThat(delivered).containsExactly(11L, 12L, 13L, 14L);
        assertThat(fetches).as("the held pushes linked up: one sync was enough").isEmpty();
    }

    @Test
    void anEntryTheSyncAlsoBroughtIsDeliveredOnce() throws Exception {
        cursor.reset(10);
        cursor.entry(12, 11, update(12, 11));
        Fetch f = nextFetch();
        cursor.entry(13, 12, update(13, 12));
        f.result().complete(page(13, false, update(11, 10), update(12, 11), update(13, 12)));
        drain();
        assertThat(delivered).containsExactly(11L, 12L, 13L);
        assertThat(handed).containsExactly(11L, 12L, 13L);
        assertThat(fetches).as("what the sync brought is no hole").isEmpty();
    }

    @Test
    void aHoleStillBelowTheHeldEntriesAfterASyncSyncsAgainFromTheNewCursor() throws Exception {
        cursor.reset(10);
        cursor.entry(14, 13, update(14, 13));
        nextFetch().result().complete(page(11, false, update(11, 10))); // the log had more since
        Fetch second = nextFetch();
        assertThat(second.after()).isEqualTo(11);
        second.result().complete(page(13, false, update(12, 11), update(13, 12)));
        drain();
        assertThat(delivered).containsExactly(11L, 12L, 13L, 14L);
    }

    @Test
    void aSyncPagesWhileTheServerSaysMoreAndHandsNewsOverAfterTheLastPage() throws Exception {
        cursor.reset(0);
        cursor.gap();
        Fetch first = nextFetch();
        assertThat(first.after()).isZero();
        first.result().complete(page(2, true, update(1, 0), update(2, 1)));
        Fetch second = nextFetch();
        assertThat(second.after()).isEqualTo(2);
        drain();
        assertThat(news).as("news comes with the last page only").isEmpty();
        ConversationNews n = ConversationNews.newBuilder().setConversationId(5).setLastSeq(40).build();
        second.result().complete(page(3, false, update(3, 2)).toBuilder().addNews(n).build());
        drain();
        assertThat(delivered).containsExactly(1L, 2L, 3L);
        assertThat(news).containsExactly(n);
    }

    @Test
    void theCursorFollowsTheSyncResultsPtsEvenPastItsLastUpdate() throws Exception {
        cursor.reset(10);
        cursor.gap();
        nextFetch().result().complete(page(15, false, update(11, 10)));  // 12..15: entries not for the listener
        cursor.entry(16, 15, update(16, 15));
        drain();
        assertThat(cursor.value()).isEqualTo(16);
        assertThat(delivered).containsExactly(11L, 16L);
    }

    @Test
    void aGapAskedForDuringASyncRunsAnotherPageAfterIt() throws Exception {
        cursor.reset(10);
        cursor.gap();
        Fetch first = nextFetch();
        cursor.gap(); // e.g. a reconnect while the first sync was running
        drain();
        assertThat(fetches).isEmpty(); // one sync at a time
        first.result().complete(page(10, false));
        assertThat(nextFetch().after()).isEqualTo(10);
    }

    @Test
    void theDevicesOwnEntriesMoveTheCursorWithoutReachingTheListener() throws Exception {
        cursor.reset(10);
        cursor.entry(11, 10, null); // a send ack
        cursor.entry(12, 11, update(12, 11));
        drain();
        assertThat(delivered).containsExactly(12L);
        assertThat(cursor.value()).isEqualTo(12);
        assertThat(fetches).isEmpty();
    }

    @Test
    void anOwnEntryThatSkipsAPtsRevealsAGapToo() throws Exception {
        cursor.reset(10);
        cursor.entry(12, 11, null); // entry 11 (a push) is still on its way, or lost
        assertThat(nextFetch().after()).isEqualTo(10);
    }

    @Test
    void beforeLoginSetsTheCursorPushesAndGapsAreLeftToTheSyncThatFollows() throws Exception {
        cursor.entry(5, 4, update(5, 4));
        cursor.gap();
        cursor.outsideLog(outside());
        drain();
        assertThat(delivered).isEmpty();
        assertThat(fetches).isEmpty();
    }

    @Test
    void aPushOutsideTheLogIsDeliveredAsItComesWithoutMovingTheCursor() throws Exception {
        cursor.reset(10);
        cursor.outsideLog(outside());
        drain();
        assertThat(delivered).containsExactly(0L);
        assertThat(cursor.value()).isEqualTo(10);
    }

    @Test
    void aFailedSyncIsTriedAgainAfterASecondFromTheSameCursor() throws Exception {
        cursor.reset(10);
        cursor.entry(12, 11, update(12, 11));
        nextFetch().result().completeExceptionally(new TernException(
                dev.tern.protocol.v1.ErrorCode.OVERLOADED, "busy", true, 0));
        drain();
        assertThat(scheduler.delays()).containsExactly(Cursor.RETRY_MS);
        scheduler.advance(Cursor.RETRY_MS - 1);
        drain();
        assertThat(fetches).isEmpty();
        scheduler.advance(1);
        Fetch again = nextFetch();
        assertThat(again.after()).isEqualTo(10);
        again.result().complete(page(11, false, update(11, 10)));
        drain();
        assertThat(delivered).containsExactly(11L, 12L);
    }

    @Test
    void afterALogoutNothingHeldOrSyncingOfTheOldSessionIsDelivered() throws Exception {
        cursor.reset(10);
        cursor.entry(12, 11, update(12, 11));
        Fetch f = nextFetch();
        cursor.forget();
        f.result().complete(page(12, false, update(11, 10), update(12, 11)));
        cursor.outsideLog(outside());
        drain();
        assertThat(delivered).isEmpty();
        assertThat(cursor.value()).isEqualTo(10);
    }

    @Test
    void theReceiptsSeeEachUpdateBeforeTheListenerDoes() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        Cursor c = new Cursor(new TernListener() {
            @Override
            public void onUpdate(Update u) {
                order.add("listener " + u.getPts());
            }
        }, after -> new CompletableFuture<>(), u -> order.add("handed " + u.getPts()), scheduler);
        try {
            c.reset(1);
            c.entry(2, 1, update(2, 1));
            CompletableFuture<Void> done = new CompletableFuture<>();
            c.run(() -> done.complete(null));
            done.get(5, TimeUnit.SECONDS);
            assertThat(order).containsExactly("handed 2", "listener 2");
        } finally {
            c.close();
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Waits until the cursor's thread has done everything handed to it so far. */
    private void drain() throws Exception {
        for (int i = 0; i < 2; i++) { // twice: a task may hand the thread one more
            CompletableFuture<Void> done = new CompletableFuture<>();
            cursor.run(() -> done.complete(null));
            done.get(5, TimeUnit.SECONDS);
        }
    }

    private Fetch nextFetch() throws InterruptedException {
        Fetch f = fetches.poll(5, TimeUnit.SECONDS);
        assertThat(f).as("a sync was asked for").isNotNull();
        return f;
    }

    static Update update(long pts, long prevPts) {
        return Update.newBuilder().setPts(pts).setPrevPts(prevPts)
                .setMessage(Message.newBuilder().setConversationId(1).setSeq(pts).setText("m" + pts)).build();
    }

    private static Update outside() {
        return Update.newBuilder().setMessage(Message.newBuilder().setConversationId(9).setSeq(1)).build();
    }

    private static SyncResult page(long pts, boolean more, Update... updates) {
        return SyncResult.newBuilder().addAllUpdates(List.of(updates)).setPts(pts).setMore(more).build();
    }
}
