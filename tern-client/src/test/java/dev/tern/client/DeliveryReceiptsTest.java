package dev.tern.client;

import dev.tern.protocol.v1.ConversationKind;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.Update;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Delivered markers: coalesced per conversation, direct chats only, retried when worth it. */
class DeliveryReceiptsTest {
    private static final long ME = 1;
    private static final long PEER = 2;

    private record Marker(long conversationId, long upToSeq, CompletableFuture<Object> answer) {}

    private final List<Marker> sent = new CopyOnWriteArrayList<>();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final DeliveryReceipts receipts = new DeliveryReceipts(() -> ME, (conversation, seq) -> {
        CompletableFuture<Object> f = new CompletableFuture<>();
        sent.add(new Marker(conversation, seq, f));
        return f;
    }, scheduler);

    @Test
    void theMessagesOfOneWindowCostOneMarkerWithTheHighestSeq() {
        receipts.handed(message(7, 5, PEER, ConversationKind.DIRECT));
        receipts.handed(message(7, 9, PEER, ConversationKind.DIRECT));
        receipts.handed(message(7, 6, PEER, ConversationKind.DIRECT));
        scheduler.advance(DeliveryReceipts.WINDOW_MS - 1);
        assertThat(sent).as("the window is still open").isEmpty();
        scheduler.advance(1);
        assertThat(markers()).containsExactly("7:9");
    }

    @Test
    void eachConversationHasItsOwnMarker() {
        receipts.handed(message(7, 3, PEER, ConversationKind.DIRECT));
        receipts.handed(message(8, 4, PEER, ConversationKind.DIRECT));
        scheduler.advance(DeliveryReceipts.WINDOW_MS);
        assertThat(markers()).containsExactlyInAnyOrder("7:3", "8:4");
    }

    @Test
    void ownMessagesGroupsChannelsAndEntriesOutsideTheLogCostNothing() {
        receipts.handed(message(7, 3, ME, ConversationKind.DIRECT));
        receipts.handed(message(8, 4, PEER, ConversationKind.GROUP));
        receipts.handed(message(9, 5, PEER, ConversationKind.CHANNEL));
        receipts.handed(message(10, 6, PEER, ConversationKind.DIRECT).toBuilder().setPts(0).build());
        scheduler.advance(10_000);
        assertThat(sent).isEmpty();
        assertThat(scheduler.delays()).isEmpty();
    }

    @Test
    void aSeqAtOrBelowTheLastMarkerSentIsNotSentAgain() {
        receipts.handed(message(7, 9, PEER, ConversationKind.DIRECT));
        scheduler.advance(DeliveryReceipts.WINDOW_MS);
        sent.getFirst().answer().complete(null);
        receipts.handed(message(7, 8, PEER, ConversationKind.DIRECT)); // a late sync page, say
        receipts.handed(message(7, 9, PEER, ConversationKind.DIRECT));
        scheduler.advance(DeliveryReceipts.WINDOW_MS);
        assertThat(markers()).containsExactly("7:9");
        receipts.handed(message(7, 10, PEER, ConversationKind.DIRECT));
        scheduler.advance(DeliveryReceipts.WINDOW_MS);
        assertThat(markers()).containsExactly("7:9", "7:10");
    }

    @Test
    void anOverloadedRefusalIsRetriedAfterTheHintOrASecondWhicheverIsLonger() {
        markerForSeq9Refused(new TernException(ErrorCode.OVERLOADED, "busy", true, 3_000));
        assertThat(scheduler.delays().getLast()).isEqualTo(3_000);
        scheduler.advance(2_999);
        assertThat(sent).hasSize(1);
        scheduler.advance(1);
        assertThat(markers()).containsExactly("7:9", "7:9");

        sent.getLast().answer().completeExceptionally(new TernException(ErrorCode.STORAGE_UNAVAILABLE, "disk", true, 0));
        assertThat(scheduler.delays().getLast()).isEqualTo(1_000);
    }

    @Test
    void aMarkerThatFoundNoConnectionGoesAfterTheReconnect() {
        markerForSeq9Refused(new TernException(ErrorCode.SHUTTING_DOWN, "not connected", true, 0));
        scheduler.advance(60_000);
        assertThat(sent).as("not retried while there is no connection").hasSize(1);
        receipts.reconnected();
        scheduler.advance(DeliveryReceipts.WINDOW_MS);
        assertThat(markers()).containsExactly("7:9", "7:9");
    }

    @Test
    void aFinalRefusalIsNotRetried() {
        markerForSeq9Refused(new TernException(ErrorCode.NOT_MEMBER, "left", false, 0));
        receipts.reconnected();
        scheduler.advance(60_000);
        assertThat(sent).hasSize(1);
    }

    @Test
    void afterALogoutNothingOfTheOldAccountIsSentOrRetried() {
        receipts.handed(message(7, 9, PEER, ConversationKind.DIRECT));
        scheduler.advance(DeliveryReceipts.WINDOW_MS);
        receipts.handed(message(8, 4, PEER, ConversationKind.DIRECT));
        receipts.forget();
        // The answer to the old account's marker comes back after the logout: no retry, no pending.
        sent.getFirst().answer().completeExceptionally(new TernException(ErrorCode.SHUTTING_DOWN, "gone", true, 0));
        receipts.reconnected();
        scheduler.advance(60_000);
        assertThat(markers()).containsExactly("7:9");
    }

    /** Conversation 7's marker for seq 9 goes out when its window closes, and the server refuses it. */
    private void markerForSeq9Refused(TernException refusal) {
        receipts.handed(message(7, 9, PEER, ConversationKind.DIRECT));
        scheduler.advance(DeliveryReceipts.WINDOW_MS);
        sent.getFirst().answer().completeExceptionally(refusal);
    }

    private List<String> markers() {
        return sent.stream().map(m -> m.conversationId() + ":" + m.upToSeq()).toList();
    }

    private static Update message(long conversationId, long seq, long sender, ConversationKind kind) {
        return Update.newBuilder().setPts(100 + seq).setPrevPts(99 + seq).setMessage(Message.newBuilder()
                .setConversationId(conversationId).setSeq(seq).setSenderId(sender).setConversationKind(kind)).build();
    }
}
