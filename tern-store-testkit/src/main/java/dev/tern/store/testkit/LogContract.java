package dev.tern.store.testkit;

import dev.tern.core.store.BodyKind;
import dev.tern.core.store.DedupRecord;
import dev.tern.core.store.HiddenRecord;
import dev.tern.core.store.LastSeenRecord;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.ReactionRecord;
import dev.tern.core.store.ReadMarkerRecord;
import dev.tern.core.store.DeliveredMarkerRecord;
import dev.tern.core.store.SequenceBound;
import dev.tern.core.store.UpdateKind;
import dev.tern.core.store.UpdateRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.tern.store.testkit.Samples.dedup;
import static dev.tern.store.testkit.Samples.message;
import static org.assertj.core.api.Assertions.assertThat;

/** Messages, update-log entries and the small keyed values (read markers, dedup, sequence bounds, last seen). */
public interface LogContract extends StoreFixture {

    @Test
    default void messagesOfEveryBodyKindRoundTrip() {
        MessageRecord text = new MessageRecord(1, 1, 10, "Zoë 🐦", 100, "c-1", "text/plain", BodyKind.TEXT,
                "héllo wörld".getBytes(StandardCharsets.UTF_8), 1_000);
        MessageRecord data = new MessageRecord(1, 2, 11, "bob", 101, "c-2", "application/octet-stream",
                BodyKind.DATA, new byte[] {0, -1, 127, -128, 0}, 2_000);
        MessageRecord service = new MessageRecord(1, 3, 0, "", 0, "", "tern/member-added", BodyKind.SERVICE,
                new byte[] {8, 1, 16, 2}, 3_000);
        MessageRecord empty = new MessageRecord(1, 4, 12, "carol", 102, "c-4", "", BodyKind.DATA, new byte[0],
                4_000);
        store().write(List.of(text, data, service, empty));

        assertThat(store().message(1, 1)).get().usingRecursiveComparison().isEqualTo(text);
        assertThat(store().message(1, 2)).get().usingRecursiveComparison().isEqualTo(data);
        assertThat(store().message(1, 3)).get().usingRecursiveComparison().isEqualTo(service);
        assertThat(store().message(1, 4)).get().usingRecursiveComparison().isEqualTo(empty);
        assertThat(store().message(1, 4).orElseThrow().body()).isEmpty();
        assertThat(store().message(1, 5)).isEmpty();
        assertThat(store().message(1, 0)).isEmpty();
    }

    @Test
    default void a64KiBBodyRoundTripsByteForByte() {
        byte[] body = Samples.randomBytes(64 * 1024, 64);
        MessageRecord big = new MessageRecord(3, 1, 10, "alice", 100, "big", "image/png", BodyKind.DATA, body, 5);
        store().write(List.of(big, message(3, 2)));

        MessageRecord read = store().message(3, 1).orElseThrow();
        assertThat(read.body()).hasSize(64 * 1024).isEqualTo(body);
        assertThat(read.contentType()).isEqualTo("image/png");
        assertThat(store().messagesBefore(3, 3, 1, 10)).extracting(MessageRecord::body)
                .containsExactly(message(3, 2).body(), body);
    }

    @Test
    default void messageUpsertOverwrites() {
        store().write(List.of(message(1, 1)));
        MessageRecord edited = new MessageRecord(1, 1, 1001, "sender1", 2001, "cm-1-1", "text/plain",
                BodyKind.TEXT, "edited".getBytes(StandardCharsets.UTF_8), 77);
        store().write(List.of(edited));

        assertThat(store().message(1, 1)).get().usingRecursiveComparison().isEqualTo(edited);
        assertThat(store().messagesBefore(1, Long.MAX_VALUE, 0, 10)).hasSize(1);
    }

    @Test
    default void replyForwardEditAndRecallRoundTrip() {
        MessageRecord reply = new MessageRecord(5, 2, 10, "alice", 100, "c-2", "text/plain", BodyKind.TEXT,
                "re".getBytes(StandardCharsets.UTF_8), 2_000,
                new MessageRecord.Extras(1, 0, "", 0, 0, false));
        MessageRecord forward = new MessageRecord(5, 3, 11, "bob", 101, "c-3", "image/png", BodyKind.DATA,
                new byte[] {1, 2, 3}, 3_000, new MessageRecord.Extras(0, 12, "Zoë 🐦", 500, 0, false));
        store().write(List.of(reply, forward));
        assertThat(store().message(5, 2)).get().usingRecursiveComparison().isEqualTo(reply);
        assertThat(store().message(5, 3)).get().usingRecursiveComparison().isEqualTo(forward);

        MessageRecord edited = reply.edited("text/markdown", BodyKind.TEXT, "*re*".getBytes(StandardCharsets.UTF_8), 2_500);
        MessageRecord recalled = forward.recalled();
        store().write(List.of(edited, recalled,
                new UpdateRecord(7, 1, 0, UpdateKind.EDIT, 5, 2, 10), new UpdateRecord(7, 2, 1, UpdateKind.RECALL, 5, 3, 11)));
        MessageRecord readEdited = store().message(5, 2).orElseThrow();
        assertThat(readEdited).usingRecursiveComparison().isEqualTo(edited);
        assertThat(readEdited.extras().replyToSeq()).isEqualTo(1);
        assertThat(readEdited.extras().editedAtMs()).isEqualTo(2_500);
        MessageRecord readRecalled = store().message(5, 3).orElseThrow();
        assertThat(readRecalled.extras().recalled()).isTrue();
        assertThat(readRecalled.body()).isEmpty();
        assertThat(readRecalled.extras().forwarded()).as("a recall erases the forward's origin too").isFalse();
        assertThat(store().updatesAfter(7, 0, 10)).extracting(UpdateRecord::kind)
                .containsExactly(UpdateKind.EDIT, UpdateKind.RECALL);
    }

    @Test
    default void reactionsArePagedInUserOrderPerMessageAndAnEmptyListRemovesThem() {
        MessageRecord m = message(6, 1).withReactions(List.of(new MessageRecord.Reaction("👍", 2),
                new MessageRecord.Reaction("🎉", 1)));
        store().write(List.of(m,
                new ReactionRecord(6, 1, 300, List.of("👍")),
                new ReactionRecord(6, 1, 20, List.of("🎉", "👍")),
                new ReactionRecord(6, 2, 20, List.of("❤️")),   // another message
                new ReactionRecord(7, 1, 20, List.of("❤️")))); // another conversation
        assertThat(store().message(6, 1).orElseThrow().extras().reactions()).containsExactly(
                new MessageRecord.Reaction("👍", 2), new MessageRecord.Reaction("🎉", 1));
        assertThat(store().reactions(6, 1, 0, 10)).containsExactly(
                new ReactionRecord(6, 1, 20, List.of("🎉", "👍")), new ReactionRecord(6, 1, 300, List.of("👍")));
        assertThat(store().reactions(6, 1, 0, 1)).extracting(ReactionRecord::userId).containsExactly(20L);
        assertThat(store().reactions(6, 1, 20, 10)).extracting(ReactionRecord::userId).containsExactly(300L);
        assertThat(store().reactions(6, 1, 300, 10)).isEmpty();
        assertThat(store().reaction(6, 1, 20)).contains(new ReactionRecord(6, 1, 20, List.of("🎉", "👍")));
        assertThat(store().reaction(6, 1, 21)).isEmpty();

        store().write(List.of(new ReactionRecord(6, 1, 20, List.of())));
        assertThat(store().reaction(6, 1, 20)).isEmpty();
        assertThat(store().reactions(6, 1, 0, 10)).extracting(ReactionRecord::userId).containsExactly(300L);
        assertThat(store().reactions(6, 2, 0, 10)).hasSize(1);
    }

    @Test
    default void hiddenMessagesAreKeptPerUserAndConversationAndReadByRange() {
        store().write(List.of(new HiddenRecord(1, 5, 3), new HiddenRecord(1, 5, 300), new HiddenRecord(1, 5, 7),
                new HiddenRecord(1, 6, 4), new HiddenRecord(2, 5, 5)));
        assertThat(store().hidden(1, 5, 0, Long.MAX_VALUE)).containsExactly(3L, 7L, 300L);
        assertThat(store().hidden(1, 5, 3, 300)).containsExactly(3L, 7L);
        assertThat(store().hidden(1, 5, 8, 300)).isEmpty();
        assertThat(store().hidden(1, 5, 10, 5)).isEmpty();
        assertThat(store().hidden(2, 5, 0, 10)).containsExactly(5L);
        assertThat(store().hidden(3, 5, 0, 10)).isEmpty();
    }

    @Test
    default void messagesOfOneConversationNeverAppearInAnother() {
        store().write(List.of(message(1, 1), message(1, 2), message(2, 1), message(256, 1)));

        assertThat(store().message(1, 1)).get().extracting(MessageRecord::clientMsgId).isEqualTo("cm-1-1");
        assertThat(store().message(2, 1)).get().extracting(MessageRecord::clientMsgId).isEqualTo("cm-2-1");
        assertThat(store().message(256, 1)).get().extracting(MessageRecord::clientMsgId).isEqualTo("cm-256-1");
        assertThat(store().message(2, 2)).isEmpty();
        assertThat(store().messagesBefore(2, Long.MAX_VALUE, 0, 10)).extracting(MessageRecord::clientMsgId)
                .containsExactly("cm-2-1");
        assertThat(store().messagesBefore(3, Long.MAX_VALUE, 0, 10)).isEmpty();
    }

    @Test
    default void updatesOfBothKindsRoundTrip() {
        UpdateRecord msg = new UpdateRecord(9, 1, 0, UpdateKind.MESSAGE, 5, 17, 9);
        UpdateRecord read = new UpdateRecord(9, 2, 1, UpdateKind.READ, 5, 17, 4);
        UpdateRecord jumped = new UpdateRecord(9, 1_000_000, 2, UpdateKind.MESSAGE, Long.MAX_VALUE / 2, 1, 3);
        store().write(List.of(msg, read, jumped));

        assertThat(store().updatesAfter(9, 0, 10)).containsExactly(msg, read, jumped);
        assertThat(store().lastPts(9)).isEqualTo(1_000_000);
    }

    @Test
    default void readMarkersDefaultToZeroAndAreKeyedByUserThenConversation() {
        assertThat(store().readMarker(1, 2)).isZero();
        store().write(List.of(new ReadMarkerRecord(1, 2, 40), new ReadMarkerRecord(2, 1, 7),
                new ReadMarkerRecord(1, 256, 3)));

        assertThat(store().readMarker(1, 2)).isEqualTo(40);
        assertThat(store().readMarker(2, 1)).isEqualTo(7);
        assertThat(store().readMarker(1, 256)).isEqualTo(3);
        assertThat(store().readMarker(1, 1)).isZero();
        assertThat(store().readMarker(2, 2)).isZero();

        store().write(List.of(new ReadMarkerRecord(1, 2, 41)));
        assertThat(store().readMarker(1, 2)).isEqualTo(41);
    }

    @Test
    default void deliveredMarkersDefaultToZeroAndAreKeyedByUserThenConversationApartFromReadMarkers() {
        assertThat(store().deliveredMarker(1, 2)).isZero();
        store().write(List.of(new DeliveredMarkerRecord(1, 2, 40), new DeliveredMarkerRecord(2, 1, 7),
                new DeliveredMarkerRecord(1, 256, 3), new ReadMarkerRecord(3, 3, 9)));

        assertThat(store().deliveredMarker(1, 2)).isEqualTo(40);
        assertThat(store().deliveredMarker(2, 1)).isEqualTo(7);
        assertThat(store().deliveredMarker(1, 256)).isEqualTo(3);
        assertThat(store().deliveredMarker(1, 1)).isZero();
        assertThat(store().deliveredMarker(2, 2)).isZero();
        // Two key spaces: neither marker shows through the other (the core combines them).
        assertThat(store().readMarker(1, 2)).isZero();
        assertThat(store().deliveredMarker(3, 3)).isZero();

        store().write(List.of(new DeliveredMarkerRecord(1, 2, 41)));
        assertThat(store().deliveredMarker(1, 2)).isEqualTo(41);
        if (can(Capability.DURABLE)) {
            assertThat(reopen().deliveredMarker(1, 2)).isEqualTo(41);
        }
    }

    @Test
    default void dedupRecordsAreKeyedByDeviceAndExactClientMsgId() {
        DedupRecord first = dedup(1, "abc", 5);
        DedupRecord longer = dedup(1, "abcd", 6);
        DedupRecord otherDevice = dedup(2, "abc", 7);
        DedupRecord unicode = dedup(256, "ключ-🔑", 8);
        store().write(List.of(first, longer, otherDevice, unicode));

        assertThat(store().dedup(1, "abc")).contains(first);
        assertThat(store().dedup(1, "abcd")).contains(longer);
        assertThat(store().dedup(2, "abc")).contains(otherDevice);
        assertThat(store().dedup(256, "ключ-🔑")).contains(unicode);
        assertThat(store().dedup(1, "ab")).isEmpty();
        assertThat(store().dedup(3, "abc")).isEmpty();
        assertThat(store().dedup(1, "")).isEmpty();

        DedupRecord replaced = new DedupRecord(1, "abc", 41, 50, 150, 149, 9);
        store().write(List.of(replaced));
        assertThat(store().dedup(1, "abc")).contains(replaced);
    }

    @Test
    default void sequenceBoundsDefaultToZeroAndKeepTheLastWrite() {
        assertThat(store().sequenceBound("user")).isZero();
        store().write(List.of(new SequenceBound("user", 1_000), new SequenceBound("conv", 2_000),
                new SequenceBound("device", 3_000), new SequenceBound("c/1", 10), new SequenceBound("c/10", 100),
                new SequenceBound("u/1", 5)));

        assertThat(store().sequenceBound("user")).isEqualTo(1_000);
        assertThat(store().sequenceBound("conv")).isEqualTo(2_000);
        assertThat(store().sequenceBound("device")).isEqualTo(3_000);
        assertThat(store().sequenceBound("c/1")).isEqualTo(10);
        assertThat(store().sequenceBound("c/10")).isEqualTo(100);
        assertThat(store().sequenceBound("u/1")).isEqualTo(5);
        assertThat(store().sequenceBound("c/100")).isZero();
        assertThat(store().sequenceBound("u/10")).isZero();

        store().write(List.of(new SequenceBound("c/1", 20), new SequenceBound("c/1", 30)));
        assertThat(store().sequenceBound("c/1")).as("the later mutation of a batch wins").isEqualTo(30);
        assertThat(store().sequenceBound("c/10")).isEqualTo(100);
    }

    @Test
    default void lastSeenDefaultsToZeroAndIsPerUser() {
        assertThat(store().lastSeen(255)).isZero();
        store().write(List.of(new LastSeenRecord(255, 1_000), new LastSeenRecord(256, 2_000)));

        assertThat(store().lastSeen(255)).isEqualTo(1_000);
        assertThat(store().lastSeen(256)).isEqualTo(2_000);
        assertThat(store().lastSeen(257)).isZero();

        store().write(List.of(new LastSeenRecord(255, 5_000)));
        assertThat(store().lastSeen(255)).isEqualTo(5_000);
        assertThat(store().lastSeen(256)).isEqualTo(2_000);
    }
}
