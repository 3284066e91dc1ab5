package dev.tern.core.tests;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.tern.core.media.Attachment;
import dev.tern.core.store.MemberRole;
import dev.tern.core.tests.ProtoFields.Field;
import dev.tern.core.view.ServiceEvent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.tern.core.tests.ProtoFields.LENGTH_DELIMITED;
import static dev.tern.core.tests.ProtoFields.VARINT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The core writes service events and media descriptions in the protobuf encoding of frames.proto's
 * {@code ServiceEvent} and {@code Media} (data directories already hold them, and the edge hands
 * them to clients after one decode). Checked here field by field against frames.proto's numbers and
 * wire types, read with a plain {@code CodedInputStream}: proto3 leaves fields at their default out.
 */
class StoredEncodingsTest {
    /** frames.proto, {@code ServiceEvent.Type}: the numbers stored data already uses. */
    private static final Map<ServiceEvent.Type, Integer> TYPE_NUMBERS = Map.ofEntries(
            Map.entry(ServiceEvent.Type.GROUP_CREATED, 1), Map.entry(ServiceEvent.Type.MEMBER_ADDED, 2),
            Map.entry(ServiceEvent.Type.MEMBER_REMOVED, 3), Map.entry(ServiceEvent.Type.MEMBER_LEFT, 4),
            Map.entry(ServiceEvent.Type.MESSAGE_PINNED, 5), Map.entry(ServiceEvent.Type.MESSAGE_UNPINNED, 6),
            Map.entry(ServiceEvent.Type.TITLE_CHANGED, 7), Map.entry(ServiceEvent.Type.DESCRIPTION_CHANGED, 8),
            Map.entry(ServiceEvent.Type.ROLE_CHANGED, 9), Map.entry(ServiceEvent.Type.POSTING_RULES_CHANGED, 10),
            Map.entry(ServiceEvent.Type.MEMBER_JOINED, 11), Map.entry(ServiceEvent.Type.CHANNEL_CREATED, 12));

    /** frames.proto, {@code Role}. */
    private static final Map<MemberRole, Integer> ROLE_NUMBERS = Map.of(
            MemberRole.MEMBER, 1, MemberRole.ADMIN, 2, MemberRole.OWNER, 3);

    private static List<Field> fields(ServiceEvent e) {
        return ProtoFields.read(e.encode());
    }

    private static List<Field> fields(Attachment a) {
        return ProtoFields.read(a.encode().toByteArray());
    }

    @Test
    void aServiceEventWithEveryFieldSetWritesTenFieldsInNumberOrder() {
        ServiceEvent e = ServiceEvent.of(ServiceEvent.Type.ROLE_CHANGED).withTarget(Long.MAX_VALUE, "bøb ✓")
                .withTitle("Ünïcode 🎉 title").withRole(MemberRole.ADMIN).withMessageSeq(300)
                .withDescription("a description").withPostingRules(true, 90).withBanned(true);
        List<Field> f = fields(e);
        assertThat(f).extracting(Field::number, Field::wireType).containsExactly(
                tuple(1, VARINT), tuple(2, VARINT), tuple(3, LENGTH_DELIMITED), tuple(4, LENGTH_DELIMITED),
                tuple(5, VARINT), tuple(6, VARINT), tuple(7, LENGTH_DELIMITED), tuple(8, VARINT), tuple(9, VARINT),
                tuple(10, VARINT));
        assertThat(f.get(0).uint()).isEqualTo(9); // ROLE_CHANGED
        assertThat(f.get(1).uint()).isEqualTo(Long.MAX_VALUE);
        assertThat(f.get(2).string()).isEqualTo("bøb ✓");
        assertThat(f.get(3).string()).isEqualTo("Ünïcode 🎉 title");
        assertThat(f.get(4).uint()).isEqualTo(2); // ADMIN
        assertThat(f.get(5).uint()).isEqualTo(300);
        assertThat(f.get(6).string()).isEqualTo("a description");
        assertThat(f.get(7).bool()).isTrue();
        assertThat(f.get(8).uint()).isEqualTo(90);
        assertThat(f.get(9).bool()).isTrue();
        assertThat(ProtoFields.serviceEvent(e.encode())).isEqualTo(e);
    }

    @Test
    void aServiceEventLeavesFieldsAtTheirDefaultOut() {
        assertThat(fields(ServiceEvent.of(ServiceEvent.Type.GROUP_CREATED)))
                .extracting(Field::number, Field::varint).containsExactly(tuple(1, 1L));
        ServiceEvent left = ServiceEvent.of(ServiceEvent.Type.MEMBER_LEFT).withTarget(7, "bob");
        assertThat(fields(left)).extracting(Field::number).containsExactly(1, 2, 3);
        ServiceEvent rules = ServiceEvent.of(ServiceEvent.Type.POSTING_RULES_CHANGED).withPostingRules(false, 30);
        assertThat(fields(rules)).extracting(Field::number).containsExactly(1, 9); // admins_only false: absent
        // Nulls are the empty string, and the empty string is not written.
        ServiceEvent nulls = new ServiceEvent(ServiceEvent.Type.TITLE_CHANGED, 0, null, null, null, 0, null, false, 0,
                false);
        assertThat(nulls.encode()).isEqualTo(ServiceEvent.of(ServiceEvent.Type.TITLE_CHANGED).encode());
        assertThat(fields(nulls)).extracting(Field::number).containsExactly(1);
    }

    @Test
    void everyTypeAndRoleHasFramesProtosNumber() {
        assertThat(TYPE_NUMBERS).hasSize(ServiceEvent.Type.values().length);
        for (ServiceEvent.Type t : ServiceEvent.Type.values()) {
            assertThat(fields(ServiceEvent.of(t)).getFirst().uint()).as(t.name()).isEqualTo(TYPE_NUMBERS.get(t).longValue());
        }
        assertThat(ROLE_NUMBERS).hasSize(MemberRole.values().length);
        for (MemberRole r : MemberRole.values()) {
            List<Field> f = fields(ServiceEvent.of(ServiceEvent.Type.ROLE_CHANGED).withRole(r));
            assertThat(f).extracting(Field::number).containsExactly(1, 5);
            assertThat(f.get(1).uint()).as(r.name()).isEqualTo(ROLE_NUMBERS.get(r).longValue());
        }
    }

    @Test
    void aMediaDescriptionWithEveryFieldSetWritesNineFieldsInNumberOrder() {
        long fiveGiB = 5L << 30;
        Attachment a = new Attachment("m-123", "image/png", fiveGiB, "föto 📷.png", 1920, 1080, true,
                "ab".repeat(32), 4_000_000_000L);
        List<Field> f = fields(a);
        assertThat(f).extracting(Field::number, Field::wireType).containsExactly(
                tuple(1, LENGTH_DELIMITED), tuple(2, LENGTH_DELIMITED), tuple(3, VARINT), tuple(4, LENGTH_DELIMITED),
                tuple(5, VARINT), tuple(6, VARINT), tuple(7, VARINT), tuple(8, LENGTH_DELIMITED), tuple(9, VARINT));
        assertThat(f.get(0).string()).isEqualTo("m-123");
        assertThat(f.get(1).string()).isEqualTo("image/png");
        assertThat(f.get(2).uint()).isEqualTo(fiveGiB);
        assertThat(f.get(3).string()).isEqualTo("föto 📷.png");
        assertThat(f.get(4).uint()).isEqualTo(1920);
        assertThat(f.get(5).uint()).isEqualTo(1080);
        assertThat(f.get(6).bool()).isTrue();
        assertThat(f.get(7).string()).isEqualTo("ab".repeat(32));
        assertThat(f.get(8).uint()).isEqualTo(4_000_000_000L);
        assertThat(ProtoFields.attachment(a.encode())).isEqualTo(a);
        assertThat(Attachment.mediaIdOf(a.encode())).isEqualTo("m-123");
    }

    @Test
    void aMediaDescriptionLeavesFieldsAtTheirDefaultOut() {
        assertThat(new Attachment("", "", 0, "", 0, 0, false, "", 0).encode()).isEqualTo(ByteString.EMPTY);
        Attachment file = new Attachment("m-9", "application/pdf", 12, "", 0, 0, false, "", 0);
        assertThat(fields(file)).extracting(Field::number).containsExactly(1, 2, 3);
        Attachment noId = new Attachment("", "audio/wav", 0, "", 0, 0, false, "", 1500);
        assertThat(fields(noId)).extracting(Field::number).containsExactly(2, 9);
        assertThat(Attachment.mediaIdOf(noId.encode())).isEmpty();
        assertThat(Attachment.mediaIdOf(ByteString.EMPTY)).isEmpty();
    }

    @Test
    void mediaIdOfFindsFieldOneWhereverItIsAndSkipsTheRest() throws IOException {
        // Another writer (an older server, a generated encoder) may order fields differently.
        ByteString.Output out = ByteString.newOutput();
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        o.writeString(2, "image/jpeg");
        o.writeUInt64(3, 1L << 40);
        o.writeFixed64(15, 42); // a field this version does not know, of another wire type
        o.writeString(1, "late-id");
        o.flush();
        assertThat(Attachment.mediaIdOf(out.toByteString())).isEqualTo("late-id");
    }

    @Test
    void mediaIdOfACorruptDescriptionIsAnError() {
        byte[] whole = new Attachment("", "image/png", 0, "a-long-file-name.png", 0, 0, false, "", 0).encode()
                .toByteArray();
        ByteString truncated = ByteString.copyFrom(Arrays.copyOf(whole, whole.length - 3));
        assertThatThrownBy(() -> Attachment.mediaIdOf(truncated)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("corrupt media");
        ByteString badUtf8 = ByteString.copyFrom(new byte[]{1 << 3 | 2, 2, (byte) 0xC3, (byte) 0x28});
        assertThatThrownBy(() -> Attachment.mediaIdOf(badUtf8)).isInstanceOf(IllegalStateException.class);
    }
}
