package dev.tern.core.tests;

import dev.tern.core.ErrorCode;
import dev.tern.core.group.NewChannel;
import dev.tern.core.group.NewGroup;
import dev.tern.core.view.Committed;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static dev.tern.core.tests.CoreFixture.await;
import static dev.tern.core.tests.Refusals.codeOf;
import static org.assertj.core.api.Assertions.assertThat;

/** A creation retried under its client id makes one conversation; ids are not shared with messages. */
class CreationsTest extends CoreTestBase {
    private static NewGroup group(String clientId) {
        return new NewGroup("team", java.util.List.of("bob"), clientId);
    }

    @Test
    void aGroupCreatedTwiceUnderOneClientIdIsOneGroup() {
        Committed first = await(fx.groups.create(alice, group("g-1")));
        Committed again = await(fx.groups.create(alice, group("g-1")));
        assertThat(again).isEqualTo(first);
        assertThat(fx.store.conversationsOf(alice.userId())).containsExactly(first.conversationId());
        assertThat(fx.store.conversationsOf(bob.userId())).containsExactly(first.conversationId());
    }

    @Test
    void concurrentCreationsUnderOneClientIdMakeOneGroup() throws Exception {
        fx.gate.close();
        CompletableFuture<Committed> first = fx.groups.create(alice, group("g-2"));
        fx.gate.awaitHeld();
        CompletableFuture<Committed> second = fx.groups.create(alice, group("g-2"));
        fx.gate.open();
        assertThat(await(second).conversationId()).isEqualTo(await(first).conversationId());
        assertThat(fx.store.conversationsOf(alice.userId())).hasSize(1);
    }

    @Test
    void differentClientIdsOrNoneMakeDifferentGroups() {
        long a = await(fx.groups.create(alice, group("g-3"))).conversationId();
        long b = await(fx.groups.create(alice, group("g-4"))).conversationId();
        long c = await(fx.groups.create(alice, group(""))).conversationId();
        long d = await(fx.groups.create(alice, group(""))).conversationId();
        assertThat(java.util.List.of(a, b, c, d)).doesNotHaveDuplicates();
    }

    @Test
    void aChannelCreatedTwiceUnderOneClientIdIsOneChannel() {
        NewChannel req = new NewChannel("news", "", "daily_news", "ch-1");
        Committed first = await(fx.channels.create(alice, req));
        // Without the client id the second request would be NAME_TAKEN: it is answered with the first instead.
        Committed again = await(fx.channels.create(alice, req));
        assertThat(again.conversationId()).isEqualTo(first.conversationId());
        assertThat(codeOf(() -> fx.channels.create(alice, new NewChannel("news", "", "daily_news", "ch-2"))))
                .isEqualTo(ErrorCode.NAME_TAKEN);
    }

    @Test
    void aClientIdUsedForAMessageIsRefusedForACreation() {
        long g = fx.group(alice, bob);
        fx.messaging.send(alice, CoreFixture.text(g, "hi").clientMsgId("reused").build()).join();
        assertThat(codeOf(() -> fx.groups.create(alice, group("reused")))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(fx.store.conversationsOf(alice.userId())).containsExactly(g);
    }

    @Test
    void aCreationRetriedAfterTheWindowMakesANewGroup() {
        long first = await(fx.groups.create(alice, group("g-5"))).conversationId();
        fx.clock.advance(CoreFixture.DEDUP_WINDOW.plusMinutes(1));
        long later = await(fx.groups.create(alice, group("g-5"))).conversationId();
        assertThat(later).isNotEqualTo(first);
    }

    @Test
    void clientIdsLongerThan64AreRefused() {
        assertThat(codeOf(() -> fx.groups.create(alice, group("x".repeat(65))))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(fx.store.conversationsOf(alice.userId())).isEmpty();
    }
}
