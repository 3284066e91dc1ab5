package dev.tern.core.tests;

import dev.tern.core.Principal;
import dev.tern.core.ledger.Sequencers;
import dev.tern.core.store.UpdateRecord;
import dev.tern.core.view.MessageView;
import dev.tern.core.view.Sent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Numbers: seq per conversation and pts per user are strictly increasing and gap-free under
 * concurrent sends, entries link to their predecessor, and a rebuilt kernel never reuses a number.
 */
class SequencingTest extends CoreTestBase {
    @Test
    void concurrentSendsGetGapFreeSeqsAndEveryMemberAGapFreeLog() throws Exception {
        Principal[] members = {alice, bob, fx.user("carol")};
        long g = fx.group(members[0], members[1], members[2]);
        int threads = 8;
        int perThread = 40;
        List<CompletableFuture<Sent>> acks = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<java.util.concurrent.Future<List<CompletableFuture<Sent>>>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Principal sender = members[t % members.length];
                work.add(pool.submit(() -> {
                    List<CompletableFuture<Sent>> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(fx.messaging.send(sender, CoreFixture.text(g, "m" + i).build()));
                    }
                    return mine;
                }));
            }
            for (var w : work) {
                acks.addAll(w.get());
            }
        }
        int total = threads * perThread;
        List<Long> seqs = acks.stream().map(CoreFixture::await).map(Sent::seq).sorted().toList();
        // Seq 1 is the group's creation; the sends take 2..total+1, each once.
        assertThat(seqs).isEqualTo(java.util.stream.LongStream.rangeClosed(2, total + 1).boxed().toList());
        assertThat(fx.store.lastSeq(g)).isEqualTo(total + 1);
        for (Principal m : members) {
            List<UpdateRecord> log = fx.store.updatesAfter(m.userId(), 0, 10_000);
            assertThat(log).hasSize(total + 1);
            for (int i = 0; i < log.size(); i++) {
                assertThat(log.get(i).pts()).isEqualTo(i + 1);
                assertThat(log.get(i).prevPts()).isEqualTo(i);
            }
            // A member's log follows the conversation's order.
            assertThat(log).extracting(UpdateRecord::seq).isSorted();
        }
    }

    @Test
    void eachAckNamesTheSendersEntryAndItsPredecessor() {
        long g = fx.group(alice, bob);
        for (int i = 0; i < 15; i++) {
            Principal sender = i % 3 == 0 ? bob : alice;
            Sent a = fx.send(sender, g, "x" + i);
            // Both logs get an entry per message, so each sender's pts advance by one per message.
            assertThat(a.pts()).isEqualTo(i + 2);
            assertThat(a.prevPts()).isEqualTo(i + 1);
            UpdateRecord entry = fx.store.updatesAfter(sender.userId(), a.prevPts(), 1).getFirst();
            assertThat(entry.pts()).isEqualTo(a.pts());
            assertThat(entry.seq()).isEqualTo(a.seq());
        }
        assertThat(fx.ledger.lastPts(alice.userId())).isEqualTo(16);
        assertThat(fx.ledger.lastPts(bob.userId())).isEqualTo(16);
    }

    @Test
    void sequencerBoundsArePersistedOneStepAhead() {
        long g = fx.group(alice, bob);
        String key = Sequencers.conversationKey(g);
        for (int i = 0; i < 9; i++) {
            fx.send(alice, g, "x");
        }
        assertThat(fx.store.lastSeq(g)).isEqualTo(10);
        assertThat(fx.store.sequenceBound(key)).isEqualTo(10);
        fx.send(alice, g, "eleventh");
        assertThat(fx.store.sequenceBound(key)).isEqualTo(20);
        assertThat(fx.store.sequenceBound(Sequencers.userKey(alice.userId()))).isEqualTo(20);
    }

    @Test
    void aRebuiltKernelResumesAboveThePersistedBoundAndLinksToTheLastDurableEntry() {
        long g = fx.group(alice, bob);
        Sent before = fx.send(alice, g, "before");
        assertThat(before.seq()).isEqualTo(2);
        fx = fx.restart();
        Sent after = fx.send(alice, g, "after");
        // Numbers up to the bound (10) may have been issued before the restart: the next is above it.
        assertThat(after.seq()).isEqualTo(11);
        assertThat(after.pts()).isEqualTo(11);
        // The entry still links to the last durable one, so a device sees no false gap.
        assertThat(after.prevPts()).isEqualTo(before.pts());
        assertThat(fx.history(bob, g).messages()).extracting(MessageView::seq).containsExactly(11L, 2L, 1L);
    }

    @Test
    void numbersNeverRepeatOrGoBackAcrossRepeatedRestarts() {
        long g = fx.group(alice, bob);
        long lastSeq = 1;
        long lastPts = 1;
        long lastConversation = g;
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < round * 4; i++) {
                Sent a = fx.send(alice, g, "r" + round);
                assertThat(a.seq()).isGreaterThan(lastSeq);
                assertThat(a.pts()).isGreaterThan(lastPts);
                lastSeq = a.seq();
                lastPts = a.pts();
            }
            long other = fx.group(alice, bob);
            assertThat(other).isGreaterThan(lastConversation);
            lastConversation = other;
            lastPts = fx.ledger.lastPts(alice.userId());
            fx = fx.restart();
        }
        assertThat(fx.send(alice, g, "last").seq()).isGreaterThan(lastSeq);
    }

    @Test
    void userAndDeviceIdsStayUniqueAcrossARestart() {
        Principal phone = fx.login("alice");
        fx = fx.restart();
        Principal carol = fx.user("carol");
        Principal tablet = fx.login("alice");
        assertThat(carol.userId()).isGreaterThan(bob.userId());
        assertThat(List.of(alice.deviceId(), bob.deviceId(), phone.deviceId(), tablet.deviceId(), carol.deviceId()))
                .doesNotHaveDuplicates();
        assertThat(tablet.deviceId()).isGreaterThan(phone.deviceId());
    }
}
