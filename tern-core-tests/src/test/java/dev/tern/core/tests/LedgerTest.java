package dev.tern.core.tests;

import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.core.Principal;
import dev.tern.core.ledger.Ledger;
import dev.tern.core.ledger.Ledger.Scope;
import dev.tern.core.ledger.Prepared;
import dev.tern.core.store.DedupRecord;
import dev.tern.core.store.DeleteDedup;
import dev.tern.core.store.MemberRole;
import dev.tern.core.store.UserRecord;
import dev.tern.core.view.Sent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.tern.core.tests.CoreFixture.await;
import static dev.tern.core.tests.Refusals.codeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The write kernel's contract: ordering, refusals, failed writes, durable values, housekeeping, scopes. */
class LedgerTest extends CoreTestBase {
    private static final Scope SCOPE = Scope.user(1);

    private final long g = fx.group(alice, bob);

    /** Step 1: every number is persisted as it is issued, so numbering after a failure is exact. */
    @Override
    CoreFixture fixture() {
        return CoreFixture.start(c -> CoreFixture.withStep(c, 1));
    }

    @Test
    void resultsAndPublishActionsRunInCommitOrder() {
        List<Integer> published = new CopyOnWriteArrayList<>();
        List<Integer> completed = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            CompletableFuture<Integer> f = fx.ledger.submit(SCOPE,
                    () -> new Prepared<>(List.of(), n, () -> published.add(n)));
            futures.add(f.thenAccept(completed::add));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        List<Integer> expected = java.util.stream.IntStream.range(0, 200).boxed().toList();
        assertThat(published).isEqualTo(expected);
        assertThat(completed).isEqualTo(expected);
    }

    @Test
    void aRefusingPreparerQueuesAndWritesNothing() {
        long before = fx.store.batchesWritten();
        assertThat(codeOf(() -> fx.ledger.submit(SCOPE, () -> {
            throw new Failure(ErrorCode.FORBIDDEN, "no");
        }))).isEqualTo(ErrorCode.FORBIDDEN);
        // Nothing is in flight: a durable value needs no trip through the committer.
        assertThat(fx.ledger.durableValue(SCOPE, () -> 7)).isCompletedWithValue(7);
        assertThat(fx.store.batchesWritten()).isEqualTo(before);
    }

    @Test
    void anUnexpectedPreparerErrorFailsWhatIsQueuedBehindItButNotWhatIsAhead() throws Exception {
        fx.gate.close();
        // A change with no mutations needs no write: this one has one, so the gate holds it.
        CompletableFuture<String> ahead = fx.ledger.submit(SCOPE, () -> Prepared.of(List.of(dedup("a")), "ahead"));
        fx.gate.awaitHeld();
        assertThatThrownBy(() -> fx.ledger.submit(SCOPE, () -> {
            throw new IllegalStateException("bug");
        })).isInstanceOf(IllegalStateException.class);
        CompletableFuture<String> behind = fx.ledger.submit(SCOPE, () -> Prepared.of(List.of(), "behind"));
        fx.gate.open();
        assertThat(await(ahead)).isEqualTo("ahead");
        assertThat(codeOf(() -> behind)).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
        assertThat(await(fx.ledger.submit(SCOPE, () -> Prepared.of(List.of(), "after")))).isEqualTo("after");
    }

    @Test
    void aFailedWriteFailsItsBatchAndEverythingQueuedBehindIt() throws Exception {
        CompletableFuture<Sent> first = heldSend(alice, g);
        CompletableFuture<Sent> second = fx.messaging.send(bob, CoreFixture.text(g, "two").build());
        CompletableFuture<Sent> third = fx.messaging.send(alice, CoreFixture.text(g, "three").build());
        fx.store.refuseWrites("disk full");
        fx.gate.open();
        for (CompletableFuture<Sent> f : List.of(first, second, third)) {
            assertThat(codeOf(() -> f)).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
        }
        assertThat(fx.ledger.writable()).isFalse();
        assertThat(fx.store.lastSeq(g)).isEqualTo(1); // only the group's creation
        fx.store.refuseWrites(null);
        // With step 1 every number is persisted: the numbers of the failed batches were never durable
        // nor acknowledged, so the next send takes them again, linked to the last durable entry.
        Sent next = fx.send(alice, g, "again");
        assertThat(next.seq()).isEqualTo(2);
        assertThat(next.pts()).isEqualTo(2);
        assertThat(next.prevPts()).isEqualTo(1);
        assertThat(fx.ledger.writable()).isTrue();
        assertThat(fx.history(bob, g).messages()).extracting(Views::text).containsExactly("again", "");
    }

    @Test
    void aFailedWriteDropsTheStateItsBatchHadChanged() {
        Principal carol = fx.user("carol");
        fx.store.refuseWrites("i/o error");
        assertThat(codeOf(() -> fx.groups.addMember(alice, g, "carol", MemberRole.MEMBER)))
                .isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
        fx.store.refuseWrites(null);
        // The cached member list had carol in it before the write; it must not survive the failure.
        assertThat(codeOf(() -> fx.messaging.send(carol, CoreFixture.text(g, "hi").build())))
                .isEqualTo(ErrorCode.NOT_MEMBER);
        assertThat(fx.groups.info(alice, g).memberCount()).isEqualTo(2);
        assertThat(await(fx.groups.addMember(alice, g, "carol", MemberRole.MEMBER)).seq()).isEqualTo(2);
    }

    @Test
    void queuedChangesShareOneStoreWrite() throws Exception {
        long batches = fx.store.batchesWritten();
        fx.gate.close();
        CompletableFuture<Integer> held = fx.ledger.submit(SCOPE, () -> Prepared.of(List.of(dedup("a")), 0));
        fx.gate.awaitHeld();
        List<CompletableFuture<Integer>> queued = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            int n = i;
            queued.add(fx.ledger.submit(SCOPE, () -> Prepared.of(List.of(dedup("q" + n)), n)));
        }
        fx.gate.open();
        assertThat(await(held)).isZero();
        assertThat(queued).extracting(CoreFixture::await).containsExactly(1, 2, 3, 4, 5);
        assertThat(fx.store.batchesWritten() - batches).isEqualTo(2);
        assertThat(fx.store.dedup(9, "q5")).isPresent();
    }

    @Test
    void durableValueWaitsForChangesInFlight() throws Exception {
        CompletableFuture<Sent> send = heldSend(alice, g);
        CompletableFuture<Long> pts = fx.ledger.durableValue(Scope.user(alice.userId()),
                () -> fx.ledger.lastPts(alice.userId()));
        assertThat(pts).isNotDone();
        fx.gate.open();
        assertThat(await(pts)).isEqualTo(await(send).pts()).isEqualTo(2);
        assertThat(send).isDone();
    }

    @Test
    void durableValueWithNothingInFlightIsAnsweredAtOnce() {
        // The group made above is settled once the publisher is done with it (a moment after its
        // future completes): only then is nothing in flight.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> fx.ledger.backlogNanos() == 0);
        assertThat(fx.ledger.durableValue(SCOPE, () -> "now")).isCompletedWithValue("now");
    }

    @Test
    void housekeepingWritesDeletionsAndRefusesAnythingElse() {
        await(fx.ledger.submit(SCOPE, () -> Prepared.of(List.of(dedup("old")), true)));
        long batches = fx.store.batchesWritten();
        assertThatThrownBy(() -> fx.ledger.housekeeping(List.of(new UserRecord(5, "eve", "hash", 0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UserRecord");
        assertThatThrownBy(() -> fx.ledger.housekeeping(List.of(new DeleteDedup(9, "old"), dedup("new"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(fx.store.batchesWritten()).isEqualTo(batches); // a refused list writes none of it
        fx.ledger.housekeeping(List.of(new DeleteDedup(9, "old")));
        assertThat(fx.store.dedup(9, "old")).isEmpty();
    }

    @Test
    void scopesRefuseIdsThatCannotExist() {
        assertThatThrownBy(() -> Scope.conversation(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Scope.user(-3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Scope.ids(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Scope.conversation(7)).isEqualTo(new Scope.Conversation(7));
        assertThat(Scope.ids(Ledger.IdSpace.USER)).isEqualTo(new Scope.Ids(Ledger.IdSpace.USER));
    }

    @Test
    void submitIfWarmTakesTheBlockingPathWhenStateIsCold() {
        long batches = fx.store.batchesWritten();
        assertThat(fx.ledger.<String>submitIfWarm(SCOPE, () -> false, () -> Prepared.of(List.of(dedup("c")), "cold")))
                .isNull();
        assertThat(fx.store.batchesWritten()).isEqualTo(batches);
        assertThat(await(fx.ledger.submitIfWarm(SCOPE, () -> true, () -> Prepared.of(List.of(), "warm"))))
                .isEqualTo("warm");
    }

    @Test
    void aClosedLedgerRefusesNewChangesWithShuttingDown() {
        CompletableFuture<String> queued = fx.ledger.submit(SCOPE, () -> Prepared.of(List.of(dedup("z")), "z"));
        fx.ledger.close();
        assertThat(queued).isCompletedWithValue("z"); // close drains what was queued
        assertThat(codeOf(() -> fx.ledger.submit(SCOPE, () -> Prepared.of(List.of(), 1))))
                .isEqualTo(ErrorCode.SHUTTING_DOWN);
    }

    /** A send the committer holds at the gate, just before its write. */
    private CompletableFuture<Sent> heldSend(Principal from, long conversationId) throws InterruptedException {
        fx.gate.close();
        CompletableFuture<Sent> send = fx.messaging.send(from, CoreFixture.text(conversationId, "held").build());
        fx.gate.awaitHeld();
        return send;
    }

    private static DedupRecord dedup(String id) {
        return new DedupRecord(9, id, 1, 1, 1, 0, 0);
    }
}
