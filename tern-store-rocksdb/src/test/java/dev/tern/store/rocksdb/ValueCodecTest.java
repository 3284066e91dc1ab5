package dev.tern.store.rocksdb;

import dev.tern.core.store.BodyKind;
import dev.tern.core.store.ConversationKind;
import dev.tern.core.store.ConversationRecord;
import dev.tern.core.store.DedupRecord;
import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.MemberRole;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.StoreException;
import dev.tern.core.store.UpdateKind;
import dev.tern.core.store.UpdateRecord;
import dev.tern.core.store.UserRecord;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValueCodecTest {

    @Test
    void numbersRoundTripAcrossTheVarintRange() {
        for (long n : new long[] {0, 1, 127, 128, 16_383, 16_384, Integer.MAX_VALUE, Long.MAX_VALUE, -1,
                Long.MIN_VALUE}) {
            assertThat(ValueCodec.number("t", ValueCodec.number(n))).as("%d", n).isEqualTo(n);
        }
        assertThat(ValueCodec.number(0)).containsExactly(1, 0);
        assertThat(ValueCodec.number(300)).containsExactly(1, 0xAC - 256, 0x02);
        assertThat(ValueCodec.number(-1)).hasSize(11);
    }

    @Test
    void everyEnumValueRoundTrips() {
        for (ConversationKind k : ConversationKind.values()) {
            ConversationRecord c = new ConversationRecord(3, k, "t", 4);
            assertThat(ValueCodec.conversation(3, ValueCodec.conversation(c))).isEqualTo(c);
        }
        for (MemberRole r : MemberRole.values()) {
            MemberRecord m = new MemberRecord(1, 2, r, 5);
            assertThat(ValueCodec.member(1, 2, ValueCodec.member(m))).isEqualTo(m);
        }
        for (UpdateKind k : UpdateKind.values()) {
            UpdateRecord u = new UpdateRecord(1, 2, 1, k, 3, 4, 5);
            assertThat(ValueCodec.update(1, 2, ValueCodec.update(u))).isEqualTo(u);
        }
        for (BodyKind k : BodyKind.values()) {
            MessageRecord m = new MessageRecord(1, 2, 3, "s", 4, "c", "t", k, new byte[] {9}, 5);
            assertThat(ValueCodec.message(1, 2, ValueCodec.message(m))).usingRecursiveComparison().isEqualTo(m);
        }
    }

    @Test
    void keyFieldsAreNotRepeatedInTheValue() {
        DedupRecord d = new DedupRecord(1, "a-long-client-message-id", 2, 3, 4, 5, 6);
        byte[] v = ValueCodec.dedup(d);

        assertThat(v).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(ValueCodec.dedup(1, "a-long-client-message-id", v)).isEqualTo(d);
    }

    @Test
    void anUnknownVersionByteIsRejected() {
        byte[] v = ValueCodec.user(new UserRecord(1, "alice", "h", 2));
        v[0] = 3;

        assertThatThrownBy(() -> ValueCodec.user(1, v)).isInstanceOf(StoreException.class)
                .hasMessage("unsupported value format version 3 in column family users (this build reads version 1)");
        byte[] t = ValueCodec.number(5);
        t[0] = 2;
        assertThatThrownBy(() -> ValueCodec.number("reads", t)).isInstanceOf(StoreException.class)
                .hasMessage("unsupported value format version 2 in column family reads (this build reads version 1)");
    }

    @Test
    void usersAreWrittenAsV2AndV1UsersStillRead() {
        UserRecord u = new UserRecord(1, "alice", "h", 2, 77);
        byte[] v2 = ValueCodec.user(u);
        assertThat(v2).containsExactly(2, 5, 'a', 'l', 'i', 'c', 'e', 1, 'h', 2, 77);
        assertThat(ValueCodec.user(1, v2)).isEqualTo(u);
        // A value written by a build before password changes: no ticketsValidFromMs, read as 0.
        byte[] v1 = {1, 5, 'a', 'l', 'i', 'c', 'e', 1, 'h', 2};
        assertThat(ValueCodec.user(1, v1)).isEqualTo(new UserRecord(1, "alice", "h", 2, 0));
    }

    @Test
    void conversationsAreWrittenAsV3AndV2AndV1ConversationsStillRead() {
        ConversationRecord pinned = new ConversationRecord(3, ConversationKind.GROUP, "g", 5, List.of(9L, 300L));
        byte[] v3 = ValueCodec.conversation(pinned);
        assertThat(v3).containsExactly(3, 2, 1, 'g', 5, 2, 9, 0xAC - 256, 2, 0, 0, 0, 0, 0);
        byte[] v2 = {2, 2, 1, 'g', 5, 2, 9, 0xAC - 256, 2, 0, 0, 0}; // written before channels existed
        ConversationRecord channel = new ConversationRecord(4, ConversationKind.CHANNEL, "c", 5, List.of(), "", true,
                0, "news");
        assertThat(ValueCodec.conversation(4, ValueCodec.conversation(channel))).isEqualTo(channel);
        ConversationRecord large = pinned.withBroadcast(true);
        assertThat(ValueCodec.conversation(3, ValueCodec.conversation(large))).isEqualTo(large);
        ConversationRecord ruled = pinned.withDescription("about").withPostingRules(true, 30);
        assertThat(ValueCodec.conversation(3, ValueCodec.conversation(ruled))).isEqualTo(ruled);
        assertThat(ValueCodec.conversation(3, v2)).isEqualTo(pinned);
        byte[] v1 = {1, 2, 1, 'g', 5}; // written before pins existed
        assertThat(ValueCodec.conversation(3, v1)).isEqualTo(new ConversationRecord(3, ConversationKind.GROUP, "g", 5));
    }

    @Test
    void messagesAreWrittenAsV3AndV2AndV1MessagesStillRead() {
        // A value written by a build before replies, forwards, edits and recalls.
        byte[] v1 = {1, 10, 1, 'a', 9, 1, 'c', 1, 't', 1, 2, 'h', 'i', 4};
        MessageRecord m = ValueCodec.message(5, 2, v1);
        assertThat(m).usingRecursiveComparison().isEqualTo(new MessageRecord(5, 2, 10, "a", 9, "c", "t", BodyKind.TEXT,
                new byte[] {'h', 'i'}, 4));
        assertThat(m.extras()).isEqualTo(MessageRecord.Extras.NONE);
        MessageRecord forwarded = new MessageRecord(5, 3, 10, "a", 9, "d", "t", BodyKind.TEXT, new byte[] {'x'}, 6,
                new MessageRecord.Extras(2, 11, "b", 3, 7, false));
        byte[] v3 = ValueCodec.message(forwarded);
        assertThat(v3[0]).isEqualTo((byte) 3);
        assertThat(ValueCodec.message(5, 3, v3)).usingRecursiveComparison().isEqualTo(forwarded);
        // V2 (before media): the same fields without the trailing media bytes.
        byte[] v2 = java.util.Arrays.copyOf(v3, v3.length - 1);
        v2[0] = 2;
        assertThat(ValueCodec.message(5, 3, v2)).usingRecursiveComparison().isEqualTo(forwarded);
        MessageRecord withMedia = new MessageRecord(5, 4, 10, "a", 9, "e", "image/png", BodyKind.TEXT, new byte[0], 8,
                MessageRecord.Extras.NONE.withMedia(com.google.protobuf.ByteString.copyFromUtf8("media")));
        assertThat(ValueCodec.message(5, 4, ValueCodec.message(withMedia))).usingRecursiveComparison()
                .isEqualTo(withMedia);
    }

    @Test
    void truncatedAndOverlongValuesAreRejected() {
        byte[] v = ValueCodec.user(new UserRecord(1, "alice", "h", 300));

        assertThatThrownBy(() -> ValueCodec.user(1, Arrays.copyOf(v, v.length - 1)))
                .isInstanceOf(StoreException.class).hasMessage("corrupt value in column family users: truncated varint");
        assertThatThrownBy(() -> ValueCodec.user(1, Arrays.copyOf(v, 4)))
                .hasMessageContaining("corrupt value in column family users: length 5 exceeds");
        assertThatThrownBy(() -> ValueCodec.user(1, Arrays.copyOf(v, v.length + 1)))
                .hasMessage("corrupt value in column family users: 1 trailing bytes");
        assertThatThrownBy(() -> ValueCodec.number("sequences", new byte[0]))
                .hasMessage("corrupt value in column family sequences: empty value");
        byte[] overlong = new byte[12];
        Arrays.fill(overlong, (byte) 0x80);
        overlong[0] = 1;
        assertThatThrownBy(() -> ValueCodec.number("sequences", overlong))
                .hasMessage("corrupt value in column family sequences: varint longer than 10 bytes");
    }

    @Test
    void anUnknownEnumCodeIsRejected() {
        byte[] v = ValueCodec.member(new MemberRecord(1, 2, MemberRole.OWNER, 1));
        v[1] = 9;

        assertThatThrownBy(() -> ValueCodec.member(1, 2, v)).isInstanceOf(StoreException.class)
                .hasMessage("corrupt value in column family members: unknown member role code 9");
    }

    @Test
    void nullFieldsAreRefusedByName() {
        assertThatThrownBy(() -> ValueCodec.user(new UserRecord(1, "alice", null, 2)))
                .isInstanceOf(StoreException.class).hasMessage("cannot store null passwordHash");
        assertThatThrownBy(() -> ValueCodec.conversation(new ConversationRecord(1, null, "t", 2)))
                .isInstanceOf(StoreException.class).hasMessage("cannot store null kind");
    }
}
