package dev.tern.core.tests;

import dev.tern.core.view.HistoryPage;
import dev.tern.core.view.MessageView;
import dev.tern.core.view.SyncPage;
import dev.tern.core.view.Update;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sync and history pages are bounded by size as well as by count (protocol.md 4.7, "Page size"):
 * a page stops once its entries take more than 1 MiB, the entry that crosses the line still in it,
 * and says {@code more}; the next page goes on where it stopped, so paging still reaches everything.
 */
class PageBoundsTest extends CoreTestBase {
    private static final int MIB = 1 << 20;
    private static final int BODY = 60_000;
    private static final int MESSAGES = 40;

    /** Bodies up to 2 MiB, so one message can exceed a page's budget on its own. */
    @Override
    CoreFixture fixture() {
        return CoreFixture.start(c -> CoreFixture.withMaxBody(c, 2 * MIB));
    }

    private final long g = fx.group(alice, bob);

    /** Sends {@code n} texts of {@code size} bytes each, each starting with its number. */
    private void sendLarge(int n, int size) {
        for (int i = 1; i <= n; i++) {
            String head = "#" + i + " ";
            fx.send(alice, g, head + "x".repeat(size - head.length()));
        }
    }

    private static long bodyBytes(List<MessageView> page) {
        return page.stream().mapToLong(m -> m.record().bodyUnsafe().length).sum();
    }

    /**
     * The page crossed 1 MiB with its last entry and not before: what comes before the last entry fits
     * in 1 MiB, and the whole page (bodies plus a generous 512 bytes of envelope each) is more than it.
     */
    private static void assertCrossedWithTheLastEntry(List<MessageView> page) {
        assertThat(bodyBytes(page.subList(0, page.size() - 1))).isLessThanOrEqualTo(MIB);
        assertThat(bodyBytes(page) + 512L * page.size()).isGreaterThan(MIB);
    }

    @Test
    void aHistoryPageOfLargeMessagesStopsPastOneMibAndPagingReachesTheRest() {
        sendLarge(MESSAGES, BODY); // seqs 2..41
        HistoryPage first = fx.catchup.history(bob, g, 0, 200);
        assertThat(first.messages()).hasSizeLessThan(MESSAGES);
        assertThat(first.more()).isTrue();
        assertCrossedWithTheLastEntry(first.messages());
        assertThat(Views.text(first.messages().getFirst())).startsWith("#40 ");

        List<Long> seqs = new ArrayList<>(first.messages().stream().map(MessageView::seq).toList());
        HistoryPage page = first;
        while (page.more()) {
            page = fx.catchup.history(bob, g, seqs.getLast(), 200);
            assertThat(page.messages()).isNotEmpty();
            page.messages().forEach(m -> seqs.add(m.seq()));
        }
        // Newest first, each message once, down to the group's creation.
        assertThat(seqs).isEqualTo(LongStream.rangeClosed(1, MESSAGES + 1).map(s -> MESSAGES + 2 - s).boxed().toList());
    }

    @Test
    void aSyncPageOfLargeMessagesStopsPastOneMibAndItsCursorGoesOnFromThere() {
        sendLarge(MESSAGES, BODY); // bob's log: the creation and 40 messages
        SyncPage first = fx.catchup.sync(bob, 0, 100);
        assertThat(first.updates()).hasSizeLessThan(MESSAGES + 1);
        assertThat(first.more()).isTrue();
        assertThat(first.pts()).isEqualTo(first.updates().getLast().pts());
        // The creation is small; the messages after it fill the page.
        assertCrossedWithTheLastEntry(first.updates().stream().skip(1).map(Views::posted).toList());

        List<Update> all = new ArrayList<>(first.updates());
        SyncPage page = first;
        while (page.more()) {
            page = fx.catchup.sync(bob, page.pts(), 100);
            assertThat(page.updates()).isNotEmpty();
            all.addAll(page.updates());
        }
        assertThat(all).extracting(Update::pts)
                .isEqualTo(LongStream.rangeClosed(1, MESSAGES + 1).boxed().toList());
        assertThat(Views.text(Views.posted(all.getLast()))).startsWith("#40 ");
        assertThat(page.pts()).isEqualTo(MESSAGES + 1);
    }

    @Test
    void aMessageLargerThanTheBudgetStillMakesAPageOfItsOwn() {
        sendLarge(2, MIB + MIB / 2); // seqs 2 and 3, each over 1 MiB
        HistoryPage first = fx.catchup.history(bob, g, 0, 50);
        assertThat(first.messages()).extracting(MessageView::seq).containsExactly(3L);
        assertThat(first.more()).isTrue();
        HistoryPage second = fx.catchup.history(bob, g, 3, 50);
        assertThat(second.messages()).extracting(MessageView::seq).containsExactly(2L);
        assertThat(second.more()).isTrue();
        HistoryPage last = fx.catchup.history(bob, g, 2, 50);
        assertThat(last.messages()).extracting(MessageView::seq).containsExactly(1L);
        assertThat(last.more()).isFalse();

        SyncPage sync = fx.catchup.sync(bob, 1, 100);
        assertThat(sync.updates()).extracting(Update::pts).containsExactly(2L);
        assertThat(sync.more()).isTrue();
        SyncPage rest = fx.catchup.sync(bob, sync.pts(), 100);
        assertThat(rest.updates()).extracting(Update::pts).containsExactly(3L);
        assertThat(rest.more()).isFalse();
    }

    @Test
    void smallMessagesAreBoundedByTheLimitAlone() {
        sendLarge(MESSAGES, 100);
        HistoryPage all = fx.catchup.history(bob, g, 0, 200);
        assertThat(all.messages()).hasSize(MESSAGES + 1);
        assertThat(all.more()).isFalse();
        SyncPage sync = fx.catchup.sync(bob, 0, 2000);
        assertThat(sync.updates()).hasSize(MESSAGES + 1);
        assertThat(sync.more()).isFalse();
    }
}
