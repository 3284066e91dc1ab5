package dev.tern.store.testkit;

import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.UpdateRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static dev.tern.store.testkit.Samples.message;
import static dev.tern.store.testkit.Samples.messages;
import static dev.tern.store.testkit.Samples.pts;
import static dev.tern.store.testkit.Samples.seqs;
import static dev.tern.store.testkit.Samples.update;
import static dev.tern.store.testkit.Samples.updates;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Range reads: order, paging, the exact bounds the port documents, and isolation between neighbouring
 * ids. Ids around 255/256 and 65535/65536 catch key encodings whose byte order is not numeric order.
 */
public interface RangeContract extends StoreFixture {

    @Test
    default void messagesBeforeIsNewestFirstWithBeforeSeqExclusiveAndMinSeqInclusive() {
        store().write(new ArrayList<>(messages(1, 1, 20)));

        List<MessageRecord> page = store().messagesBefore(1, 11, 5, 100);
        assertThat(seqs(page)).containsExactly(10, 9, 8, 7, 6, 5);
        assertThat(page.getFirst()).usingRecursiveComparison().isEqualTo(message(1, 10));
        assertThat(page.getLast()).usingRecursiveComparison().isEqualTo(message(1, 5));
        assertThat(seqs(store().messagesBefore(1, 21, 20, 100))).containsExactly(20);
        assertThat(seqs(store().messagesBefore(1, 2, 0, 100))).containsExactly(1);
    }

    @Test
    default void messagesBeforeStopsAtTheLimitKeepingTheNewest() {
        store().write(new ArrayList<>(messages(1, 1, 20)));

        assertThat(seqs(store().messagesBefore(1, Long.MAX_VALUE, 0, 3))).containsExactly(20, 19, 18);
        assertThat(seqs(store().messagesBefore(1, 11, 5, 2))).containsExactly(10, 9);
        assertThat(seqs(store().messagesBefore(1, 11, 5, 1))).containsExactly(10);
    }

    @Test
    default void messagesBeforePagesThroughTheWholeHistory() {
        store().write(new ArrayList<>(messages(4, 1, 50)));

        List<Long> seen = new ArrayList<>();
        long before = Long.MAX_VALUE;
        List<MessageRecord> page;
        int pages = 0;
        while (!(page = store().messagesBefore(4, before, 1, 7)).isEmpty()) {
            assertThat(page.size()).isLessThanOrEqualTo(7);
            page.forEach(m -> seen.add(m.seq()));
            before = page.getLast().seq();
            assertThat(++pages).as("paging must terminate").isLessThanOrEqualTo(8);
        }
        assertThat(pages).isEqualTo(8);
        assertThat(seen).containsExactlyElementsOf(LongStream.rangeClosed(1, 50).map(s -> 51 - s).boxed().toList());
    }

    @Test
    default void messagesBeforeIsEmptyWhenTheWindowIs() {
        store().write(new ArrayList<>(messages(1, 1, 10)));

        assertThat(store().messagesBefore(1, 5, 5, 100)).as("beforeSeq == minSeq").isEmpty();
        assertThat(store().messagesBefore(1, 4, 6, 100)).as("beforeSeq < minSeq").isEmpty();
        assertThat(store().messagesBefore(1, 100, 11, 100)).as("minSeq above all").isEmpty();
        assertThat(store().messagesBefore(1, 1, 0, 100)).as("nothing below seq 1").isEmpty();
        assertThat(store().messagesBefore(1, 11, 1, 0)).as("limit 0").isEmpty();
        assertThat(store().messagesBefore(2, 11, 1, 100)).as("other conversation").isEmpty();
    }

    @Test
    default void messagesBeforeSkipsGaps() {
        store().write(List.of(message(1, 2), message(1, 3), message(1, 7), message(1, 12), message(1, 40)));

        assertThat(seqs(store().messagesBefore(1, 40, 3, 100))).containsExactly(12, 7, 3);
        assertThat(seqs(store().messagesBefore(1, 7, 4, 100))).isEmpty();
    }

    @Test
    default void messageOrderIsNumericAcrossByteBoundaries() {
        List<Mutation> batch = new ArrayList<>();
        batch.addAll(messages(1, 250, 260));
        batch.addAll(messages(1, 65_530, 65_540));
        store().write(batch);

        assertThat(seqs(store().messagesBefore(1, 258, 253, 100))).containsExactly(257, 256, 255, 254, 253);
        assertThat(seqs(store().messagesBefore(1, 65_538, 255, 100))).containsExactly(
                65_537, 65_536, 65_535, 65_534, 65_533, 65_532, 65_531, 65_530, 260, 259, 258, 257, 256, 255);
        assertThat(store().lastSeq(1)).isEqualTo(65_540);
    }

    @Test
    default void lastSeqIsZeroWhenEmptyAndNeverReadsANeighbour() {
        assertThat(store().lastSeq(1)).isZero();
        store().write(List.of(message(1, 1), message(1, 2), message(2, 1), message(2, 2), message(2, 3)));

        assertThat(store().lastSeq(0)).isZero();
        assertThat(store().lastSeq(1)).isEqualTo(2);
        assertThat(store().lastSeq(2)).isEqualTo(3);
        assertThat(store().lastSeq(3)).isZero();

        store().write(List.of(message(255, 9), message(257, 4)));
        assertThat(store().lastSeq(255)).isEqualTo(9);
        assertThat(store().lastSeq(256)).isZero();
        assertThat(store().lastSeq(257)).isEqualTo(4);
    }

    @Test
    default void largeIdsAndSequenceNumbersKeepTheirOrderAndBounds() {
        long conv = Long.MAX_VALUE / 2;
        store().write(List.of(message(conv, 1), message(conv, 2), message(conv, Long.MAX_VALUE - 1),
                message(conv + 1, 5), message(Long.MAX_VALUE, 3)));

        assertThat(store().lastSeq(conv)).isEqualTo(Long.MAX_VALUE - 1);
        assertThat(store().lastSeq(conv + 1)).isEqualTo(5);
        assertThat(store().lastSeq(conv - 1)).isZero();
        assertThat(store().lastSeq(Long.MAX_VALUE)).isEqualTo(3);
        assertThat(seqs(store().messagesBefore(conv, Long.MAX_VALUE, 0, 10))).containsExactly(Long.MAX_VALUE - 1, 2, 1);
        assertThat(seqs(store().messagesBefore(conv, Long.MAX_VALUE - 1, 0, 10))).containsExactly(2, 1);
        assertThat(seqs(store().messagesBefore(Long.MAX_VALUE, Long.MAX_VALUE, 0, 10))).containsExactly(3);

        store().write(List.of(message(conv, Long.MAX_VALUE)));
        assertThat(store().lastSeq(conv)).isEqualTo(Long.MAX_VALUE);
        assertThat(seqs(store().messagesBefore(conv, Long.MAX_VALUE, 0, 10)))
                .as("beforeSeq is exclusive even at Long.MAX_VALUE").containsExactly(Long.MAX_VALUE - 1, 2, 1);
    }

    @Test
    default void updatesAfterIsAscendingAndExcludesAfterPts() {
        store().write(new ArrayList<>(updates(9, 1, 10)));

        List<UpdateRecord> got = store().updatesAfter(9, 4, 100);
        assertThat(pts(got)).containsExactly(5, 6, 7, 8, 9, 10);
        assertThat(got.getFirst()).isEqualTo(update(9, 5, 4));
        assertThat(pts(store().updatesAfter(9, 0, 3))).containsExactly(1, 2, 3);
        assertThat(store().updatesAfter(9, 10, 100)).isEmpty();
        assertThat(store().updatesAfter(9, 0, 0)).isEmpty();
        assertThat(store().updatesAfter(8, 0, 100)).isEmpty();
    }

    @Test
    default void updatesAfterPagesAcrossManyPagesAndPtsJumps() {
        List<Mutation> batch = new ArrayList<>(updates(3, 1, 600));
        // A restart skips ahead: the log continues at 10_000, linked back to 600 by prevPts.
        batch.add(update(3, 10_000, 600));
        batch.addAll(updates(3, 10_001, 10_399));
        store().write(batch);

        List<UpdateRecord> all = new ArrayList<>();
        long after = 0;
        List<UpdateRecord> page;
        int pages = 0;
        while (!(page = store().updatesAfter(3, after, 64)).isEmpty()) {
            assertThat(page).hasSizeLessThanOrEqualTo(64);
            all.addAll(page);
            after = page.getLast().pts();
            assertThat(++pages).as("paging must terminate").isLessThanOrEqualTo(16);
        }
        assertThat(pages).isEqualTo(16);
        assertThat(all).hasSize(1000);
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).prevPts()).as("entry %d links to its predecessor", i)
                    .isEqualTo(all.get(i - 1).pts());
        }
        assertThat(all.get(600)).isEqualTo(update(3, 10_000, 600));
        assertThat(all.getLast().pts()).isEqualTo(10_399);
        assertThat(pts(store().updatesAfter(3, 600, 2))).containsExactly(10_000, 10_001);
        assertThat(pts(store().updatesAfter(3, 5_000, 1))).containsExactly(10_000);
    }

    @Test
    default void updateLogsOfNeighbouringUsersAreIsolated() {
        List<Mutation> batch = new ArrayList<>();
        batch.addAll(updates(255, 1, 3));
        batch.addAll(updates(256, 1, 5));
        batch.addAll(updates(512, 1, 2));
        store().write(batch);

        assertThat(store().updatesAfter(255, 0, 100)).containsExactlyElementsOf(updates(255, 1, 3));
        assertThat(store().updatesAfter(256, 0, 100)).containsExactlyElementsOf(updates(256, 1, 5));
        assertThat(store().updatesAfter(256, 3, 100)).containsExactlyElementsOf(updates(256, 4, 5));
        assertThat(store().updatesAfter(257, 0, 100)).isEmpty();
        assertThat(store().updatesAfter(0, 0, 100)).isEmpty();
        assertThat(store().updatesAfter(1, 0, 100)).isEmpty();
    }

    @Test
    default void lastPtsIsZeroWhenEmptyAndNeverReadsANeighbour() {
        long big = Long.MAX_VALUE / 2;
        assertThat(store().lastPts(255)).isZero();
        List<Mutation> batch = new ArrayList<>();
        batch.addAll(updates(255, 1, 3));
        batch.addAll(updates(256, 1, 300));
        batch.add(update(511, 70_000, 0));
        batch.addAll(updates(big, 1, 2));
        store().write(batch);

        assertThat(store().lastPts(254)).isZero();
        assertThat(store().lastPts(255)).isEqualTo(3);
        assertThat(store().lastPts(256)).isEqualTo(300);
        assertThat(store().lastPts(257)).isZero();
        assertThat(store().lastPts(510)).isZero();
        assertThat(store().lastPts(511)).isEqualTo(70_000);
        assertThat(store().lastPts(512)).isZero();
        assertThat(store().lastPts(big - 1)).isZero();
        assertThat(store().lastPts(big)).isEqualTo(2);
        assertThat(store().lastPts(big + 1)).isZero();
    }
}
