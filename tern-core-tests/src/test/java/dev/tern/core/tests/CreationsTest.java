package dev.tern.core.tests;

import dev.tern.core.Principal;
import dev.tern.protocol.v1.CreateChannel;
import dev.tern.protocol.v1.CreateGroup;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Ok;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static dev.tern.core.tests.CoreFixture.await;
import static dev.tern.core.tests.Refusals.codeOf;
import static org.assertj.core.api.Assertions.assertThat;

/** A creation retried under its client id makes one conversation; ids are not shared with messages. */
class CreationsTest extends CoreTestBase {
    private static CreateGroup group(String clientId) {
        return CreateGroup.newBuilder().setTitle("team").addMembers("bob").setClientId(clientId).build();
    }

    @Test
    void aGroupCreatedTwiceUnderOneClientIdIsOneGroup() {
        Ok first = await(fx.groups.create(alice, group("g-1")));
        Ok again = await(fx.groups.create(alice, group("g-1")));
        assertThat(again).isEqualTo(first);
        assertThat(fx.store.conversationsOf(alice.userId())).containsExactly(first.getConversationId());
        assertThat(fx.store.conversationsOf(bob.userId())).containsExactly(first.getConversationId());
    }

    @Test
    void concurrentCreationsUnderOneClientIdMakeOneGroup() throws Exception {
        fx.gate.close();
        CompletableFuture<Ok> first = fx.groups.create(alice, group("g-2"));
        fx.gate.awaitHeld();
        CompletableFuture<Ok> second = fx.groups.create(alice, group("g-2"));
        fx.gate.open();
        assertThat(await(second).getConversationId()).isEqualTo(await(first).getConversationId());
        assertThat(fx.store.conversationsOf(alice.userId())).hasSize(1);
    }

    @Test
    void differentClientIdsOrNoneMakeDifferentGroups() {
        long a = await(fx.groups.create(alice, group("g-3"))).getConversationId();
        long b = await(fx.groups.create(alice, group("g-4"))).getConversationId();
        long c = await(fx.groups.create(alice, group(""))).getConversationId();
        long d = await(fx.groups.create(alice, group(""))).getConversationId();
        assertThat(java.util.List.of(a, b, c, d)).doesNotHaveDuplicates();
    }

    @Test
    void aChannelCreatedTwiceUnderOneClientIdIsOneChannel() {
        CreateChannel req = CreateChannel.newBuilder().setTitle("news").setPublicName("daily_news")
                .setClientId("ch-1").build();
        Ok first = await(fx.channels.create(alice, req));
        // Without the client id the second request would be NAME_TAKEN: it is answered with the first instead.
        Ok again = await(fx.channels.create(alice, req));
        assertThat(again.getConversationId()).isEqualTo(first.getConversationId());
        assertThat(codeOf(() -> fx.channels.create(alice, req.toBuilder().setClientId("ch-2").build())))
                .isEqualTo(ErrorCode.NAME_TAKEN);
    }

    @Test
    void aClientIdUsedForAMessageIsRefusedForACreation() {
        long g = fx.group(alice, bob);
        fx.messaging.send(alice, CoreFixture.text(g, "hi").setClientMsgId("reused").build()).join();
        assertThat(codeOf(() -> fx.groups.create(alice, group("reused")))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(fx.store.conversationsOf(alice.userId())).containsExactly(g);
    }

    @Test
    void aCreationRetriedAfterTheWindowMakesANewGroup() {
        long first = await(fx.groups.create(alice, group("g-5"))).getConversationId();
        fx.clock.advance(CoreFixture.DEDUP_WINDOW.plusMinutes(1));
        long later = await(fx.groups.create(alice, group("g-5"))).getConversationId();
        assertThat(later).isNotEqualTo(first);
    }

    @Test
    void clientIdsLongerThan64AreRefused() {
        assertThat(codeOf(() -> fx.groups.create(alice, group("x".repeat(65))))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(fx.store.conversationsOf(alice.userId())).isEmpty();
    }
}
