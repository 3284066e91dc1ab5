package dev.tern.store.testkit;

import dev.tern.core.store.ConversationKind;
import dev.tern.core.store.ConversationRecord;
import dev.tern.core.store.DeleteMember;
import dev.tern.core.store.DirectRecord;
import dev.tern.core.store.LastSeenRecord;
import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.MemberRole;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.ReadMarkerRecord;
import dev.tern.core.store.DeliveredMarkerRecord;
import dev.tern.core.store.SequenceBound;
import dev.tern.core.store.Store;
import dev.tern.core.store.StoreException;
import dev.tern.core.store.UpdateKind;
import dev.tern.core.store.UpdateRecord;
import dev.tern.core.store.UserRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.LongStream;

import static dev.tern.store.testkit.Samples.dedup;
import static dev.tern.store.testkit.Samples.member;
import static dev.tern.store.testkit.Samples.message;
import static dev.tern.store.testkit.Samples.ticket;
import static dev.tern.store.testkit.Samples.update;
import static dev.tern.store.testkit.Samples.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Durability across restarts, atomicity and ordering of batches, concurrent use, and close. */
public interface LifecycleContract extends StoreFixture {

    private static List<Mutation> everyKindOfRecord() {
        return List.of(user(1, "alice"), ticket(1, 1, 10), new ConversationRecord(5, ConversationKind.GROUP, "g", 3),
                new MemberRecord(5, 1, MemberRole.OWNER, 1), new DirectRecord(1, 2, 6), message(5, 1), message(5, 2),
                update(1, 1, 0), update(1, 2, 1), new ReadMarkerRecord(1, 5, 2), new DeliveredMarkerRecord(1, 5, 4), dedup(10, "cm", 2),
                new SequenceBound("c/5", 1_000), new LastSeenRecord(1, 77));
    }

    private static void assertEveryKindOfRecord(Store s) {
        assertThat(s.user(1)).contains(user(1, "alice"));
        assertThat(s.userByName("alice")).contains(user(1, "alice"));
        assertThat(s.ticket(Samples.hash(1))).get().usingRecursiveComparison().isEqualTo(ticket(1, 1, 10));
        assertThat(s.conversation(5)).contains(new ConversationRecord(5, ConversationKind.GROUP, "g", 3));
        assertThat(s.members(5)).containsExactly(new MemberRecord(5, 1, MemberRole.OWNER, 1));
        assertThat(s.conversationsOf(1)).containsExactly(5L);
        assertThat(s.directConversation(1, 2)).hasValue(6);
        assertThat(s.message(5, 2)).get().usingRecursiveComparison().isEqualTo(message(5, 2));
        assertThat(Samples.seqs(s.messagesBefore(5, 3, 1, 10))).containsExactly(2, 1);
        assertThat(s.lastSeq(5)).isEqualTo(2);
        assertThat(s.updatesAfter(1, 0, 10)).containsExactly(update(1, 1, 0), update(1, 2, 1));
        assertThat(s.lastPts(1)).isEqualTo(2);
        assertThat(s.readMarker(1, 5)).isEqualTo(2);
        assertThat(s.deliveredMarker(1, 5)).isEqualTo(4);
        assertThat(s.dedup(10, "cm")).contains(dedup(10, "cm", 2));
        assertThat(s.sequenceBound("c/5")).isEqualTo(1_000);
        assertThat(s.lastSeen(1)).isEqualTo(77);
    }

    @Test
    default void everythingSurvivesCloseAndReopen() {
        requires(Capability.DURABLE);
        store().write(everyKindOfRecord());
        assertEveryKindOfRecord(store());

        assertEveryKindOfRecord(reopen());
        assertEveryKindOfRecord(reopen());
    }

    @Test
    default void aReopenedStoreContinuesWhereItLeftOff() {
        requires(Capability.DURABLE);
        store().write(List.of(message(5, 1), message(5, 2), update(1, 1, 0)));
        reopen().write(List.of(message(5, 3), update(1, 2, 1)));

        assertThat(store().lastSeq(5)).isEqualTo(3);
        assertThat(Samples.seqs(store().messagesBefore(5, 10, 0, 10))).containsExactly(3, 2, 1);
        assertThat(Samples.pts(store().updatesAfter(1, 0, 10))).containsExactly(1, 2);
        assertThat(reopen().lastPts(1)).isEqualTo(2);
    }

    @Test
    default void mutationsOfABatchApplyInOrder() {
        store().write(List.of(member(5, 1), new DeleteMember(5, 1), member(5, 2)));
        assertThat(store().members(5)).containsExactly(member(5, 2));
        assertThat(store().conversationsOf(1)).isEmpty();

        store().write(List.of(new DeleteMember(5, 2), new MemberRecord(5, 2, MemberRole.ADMIN, 4)));
        assertThat(store().members(5)).containsExactly(new MemberRecord(5, 2, MemberRole.ADMIN, 4));
        assertThat(store().conversationsOf(2)).containsExactly(5L);
    }

    @Test
    default void applyingABatchTwiceGivesTheSameState() {
        store().write(everyKindOfRecord());
        store().write(everyKindOfRecord());

        assertEveryKindOfRecord(store());
    }

    @Test
    default void anEmptyBatchChangesNothing() {
        store().write(List.of(message(5, 1)));
        store().write(List.of());

        assertThat(store().lastSeq(5)).isEqualTo(1);
    }

    @Test
    default void aBatchThatCannotBeStoredLeavesNothing() {
        List<Mutation> batch = new ArrayList<>();
        batch.add(message(5, 1));
        batch.add(update(1, 1, 0));
        batch.add(new UserRecord(2, null, "$argon2id$x", 1)); // a user without a name cannot be stored
        batch.add(new LastSeenRecord(1, 9));

        assertThatThrownBy(() -> store().write(batch)).isInstanceOf(StoreException.class);
        assertNothingOfTheFailedBatch(store());
        if (can(Capability.DURABLE)) {
            assertNothingOfTheFailedBatch(reopen());
        }
        store().write(List.of(message(5, 1)));
        assertThat(store().lastSeq(5)).as("the store is still usable").isEqualTo(1);
    }

    private static void assertNothingOfTheFailedBatch(Store s) {
        assertThat(s.message(5, 1)).isEmpty();
        assertThat(s.lastSeq(5)).isZero();
        assertThat(s.updatesAfter(1, 0, 10)).isEmpty();
        assertThat(s.user(2)).isEmpty();
        assertThat(s.lastSeen(1)).isZero();
    }

    @Test
    default void aWriteAfterCloseThrowsAndLeavesNothing() {
        store().write(List.of(message(5, 1)));
        store().close();

        assertThatThrownBy(() -> store().write(List.of(message(5, 2), update(1, 1, 0))))
                .isInstanceOf(StoreException.class);
        if (!can(Capability.DURABLE)) {
            return; // what the refused write left is checked through a new store, which needs durability
        }
        Store reopened = reopen();
        assertThat(reopened.lastSeq(5)).isEqualTo(1);
        assertThat(reopened.message(5, 2)).isEmpty();
        assertThat(reopened.lastPts(1)).isZero();
    }

    @Test
    default void everyMethodThrowsStoreExceptionAfterClose() {
        store().write(everyKindOfRecord());
        Store s = store();
        s.close();

        List<Consumer<Store>> calls = List.of(
                x -> x.write(List.of(message(5, 3))), x -> x.user(1), x -> x.userByName("alice"),
                x -> x.ticket(Samples.hash(1)), x -> x.conversation(5), x -> x.members(5), x -> x.conversationsOf(1),
                x -> x.directConversation(1, 2), x -> x.message(5, 1), x -> x.messagesBefore(5, 3, 1, 10),
                x -> x.lastSeq(5), x -> x.updatesAfter(1, 0, 10), x -> x.lastPts(1), x -> x.dedup(10, "cm"),
                x -> x.readMarker(1, 5), x -> x.deliveredMarker(1, 5), x -> x.sequenceBound("c/5"), x -> x.lastSeen(1),
                x -> x.dedupsBefore(Long.MAX_VALUE, 10), x -> x.ticketsExpiredBefore(Long.MAX_VALUE, 10),
                x -> x.writable());
        for (int i = 0; i < calls.size(); i++) {
            Consumer<Store> call = calls.get(i);
            assertThatThrownBy(() -> call.accept(s)).as("call %d", i).isInstanceOf(StoreException.class);
        }
    }

    @Test
    default void closeIsIdempotent() {
        store().write(List.of(message(5, 1)));
        store().close();

        assertThatCode(() -> store().close()).doesNotThrowAnyException();
        assertThatThrownBy(() -> store().lastSeq(5)).isInstanceOf(StoreException.class);
        if (can(Capability.DURABLE)) {
            assertThat(reopen().lastSeq(5)).isEqualTo(1);
        }
    }

    @Test
    @Timeout(120)
    default void concurrentWritesFromEightThreadsAllLand() throws Exception {
        int threads = 8;
        int batchesPerThread = 40;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 1; t <= threads; t++) {
                long id = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (long i = 1; i <= batchesPerThread; i++) {
                        store().write(List.of(message(id, i), update(id, i, i - 1), member(100, id * 1_000 + i),
                                new LastSeenRecord(id, i)));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        }

        for (long id = 1; id <= threads; id++) {
            assertThat(store().lastSeq(id)).isEqualTo(batchesPerThread);
            long conv = id;
            assertThat(store().messagesBefore(id, Long.MAX_VALUE, 0, 1000)).extracting(MessageRecord::clientMsgId)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, batchesPerThread)
                            .mapToObj(i -> "cm-" + conv + "-" + (batchesPerThread + 1 - i)).toList());
            assertThat(store().lastPts(id)).isEqualTo(batchesPerThread);
            assertThat(store().lastSeen(id)).isEqualTo(batchesPerThread);
        }
        List<MemberRecord> members = store().members(100);
        assertThat(members).hasSize(threads * batchesPerThread);
        assertThat(members).extracting(MemberRecord::userId).isSorted().doesNotHaveDuplicates();
    }

    @Test
    @Timeout(120)
    default void readersNeverSeeHalfABatch() throws Exception {
        int batches = 150;
        AtomicBoolean writing = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        int[] checks = {0};
        Store s = store();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                // Also runs once after the writer is done, so at least one check always happens.
                while (writing.get() || checks[0] == 0) {
                    long pts = s.lastPts(7);
                    if (pts == 0) {
                        continue;
                    }
                    checks[0]++;
                    // Everything below was written in the same batch as update pts, which is visible.
                    if (s.message(7, pts).isEmpty()) {
                        violations.add("update " + pts + " visible without its message");
                    }
                    if (s.readMarker(7, 7) < pts) {
                        violations.add("update " + pts + " visible without its read marker");
                    }
                    if (s.lastSeq(7) < pts) {
                        violations.add("update " + pts + " visible but lastSeq below it");
                    }
                }
            } catch (RuntimeException e) {
                violations.add("reader failed: " + e);
            }
        });
        try {
            for (long i = 1; i <= batches; i++) {
                s.write(List.of(message(7, i), new ReadMarkerRecord(7, 7, i),
                        new UpdateRecord(7, i, i - 1, UpdateKind.MESSAGE, 7, i, 7)));
            }
        } finally {
            writing.set(false);
            reader.join();
        }

        assertThat(violations).isEmpty();
        assertThat(checks[0]).isPositive();
        assertThat(store().lastPts(7)).isEqualTo(batches);
    }
}
